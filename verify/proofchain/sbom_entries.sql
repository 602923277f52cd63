-- Verify pgattest:proofchain/sbom_entries on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, sbom_digest, bom_ref, purl, name, version, component_hash, envelope_id
  FROM proofchain.sbom_entries WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'proofchain.sbom_entries'::regclass) THEN
        RAISE EXCEPTION 'proofchain.sbom_entries is not a tenant table (row security not forced)';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'proofchain.sbom_entries', 'INSERT')
       OR has_table_privilege('pgattest_app', 'proofchain.sbom_entries', 'UPDATE') THEN
        RAISE EXCEPTION 'pgattest_app must insert into proofchain.sbom_entries, and not update it';
    END IF;
END
$verify$;

ROLLBACK;
