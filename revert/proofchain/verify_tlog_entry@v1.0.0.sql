-- Revert pgattest:proofchain/verify_tlog_entry from pg

BEGIN;

DROP FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb);

COMMIT;
