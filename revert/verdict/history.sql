-- Revert pgattest:verdict/history from pg

BEGIN;

DROP FUNCTION verdict.history(text);

COMMIT;
