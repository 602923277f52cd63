-- Revert pgattest:verdict/anchor_ages from pg

BEGIN;

DROP FUNCTION verdict.anchor_ages();
REVOKE SELECT (tenant_id, seq) ON verdict.ledger_entries FROM pgattest_system;

COMMIT;
