-- Revert pgattest:proofchain/parse_checkpoint from pg

BEGIN;

DROP FUNCTION proofchain.parse_checkpoint(text);

COMMIT;
