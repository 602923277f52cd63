-- Verify pgattest:proofchain/spines on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, sbom_entry_id, evidence_ids, reasoning_id, vex_verdict_id,
       root_hash, segment_count FROM proofchain.spines WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'proofchain.spines'::regclass) THEN
        RAISE EXCEPTION 'proofchain.spines is not a tenant table (row security not forced)';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'proofchain.spines', 'SELECT')
       OR has_table_privilege('pgattest_app', 'proofchain.spines', 'INSERT') THEN
        RAISE EXCEPTION 'proofchain.spines must be readable by pgattest_app and written only through proofchain.create_spine';
    END IF;
END
$verify$;

ROLLBACK;
