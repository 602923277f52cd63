-- Revert pgattest:proofchain/verify_checkpoint from pg

BEGIN;
DROP FUNCTION proofchain.verify_checkpoint(text, text, text, text);
COMMIT;

\ir ../../deploy/proofchain/verify_checkpoint@v1.0.0.sql
