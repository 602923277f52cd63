-- Revert pgattest:proofchain/verify_dsse from pg

BEGIN;

DROP FUNCTION proofchain.verify_dsse(jsonb, text);

COMMIT;
