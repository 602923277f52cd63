-- Revert pgattest:tlog_verify from pg

BEGIN;

DROP FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb);

COMMIT;
