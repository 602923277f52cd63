-- Revert pgattest:verdict/anchor_status from pg

BEGIN;

DROP FUNCTION verdict.anchor_status();

COMMIT;
