-- Revert pgattest:proofchain/verify_tlog_entry from pg

BEGIN;
DROP FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb, boolean, timestamptz);
COMMIT;

\ir ../../deploy/proofchain/verify_tlog_entry@v1.0.0.sql
