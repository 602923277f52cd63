-- Revert pgattest:attestor/record_checkpoint from pg

BEGIN;
DROP FUNCTION attestor.record_checkpoint(text, text, bytea[], bigint);
COMMIT;

\ir ../../deploy/attestor/record_checkpoint@v1.0.0.sql
