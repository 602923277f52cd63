-- Revert pgattest:attestor/record_checkpoint from pg

BEGIN;

DROP FUNCTION attestor.record_checkpoint(text, text, bytea[]);

COMMIT;
