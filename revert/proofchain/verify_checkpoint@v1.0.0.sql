-- Revert pgattest:proofchain/verify_checkpoint from pg

BEGIN;

DROP FUNCTION proofchain.verify_checkpoint(text, text, text);
DROP FUNCTION proofchain.verify_checkpoint(text, text);

COMMIT;
