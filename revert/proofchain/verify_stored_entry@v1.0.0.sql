-- Revert pgattest:proofchain/verify_stored_entry from pg

BEGIN;

DROP FUNCTION proofchain.verify_stored_entry(uuid);

COMMIT;
