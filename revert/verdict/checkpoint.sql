-- Revert pgattest:verdict/checkpoint from pg

BEGIN;

DROP FUNCTION verdict.checkpoint();

COMMIT;
