-- Revert pgattest:checkpoint_verify from pg

BEGIN;

DROP FUNCTION proofchain.verify_checkpoint(text, text, text);
DROP FUNCTION proofchain.verify_checkpoint(text, text);
DROP FUNCTION proofchain.parse_checkpoint(text);

COMMIT;
