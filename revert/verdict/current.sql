-- Revert pgattest:verdict/current from pg

BEGIN;

DROP FUNCTION verdict.current(text);

COMMIT;
