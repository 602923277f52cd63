-- Verify pgattest:proofchain/envelope_subjects on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, envelope_id, name, digest_algorithm, digest
  FROM proofchain.envelope_subjects WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'proofchain.envelope_subjects'::regclass) THEN
        RAISE EXCEPTION 'proofchain.envelope_subjects is not a tenant table (row security not forced)';
    END IF;
    IF to_regclass('proofchain.envelope_subjects_digest') IS NULL THEN
        RAISE EXCEPTION 'proofchain.envelope_subjects lacks its digest index';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'proofchain.envelope_subjects', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_app cannot read proofchain.envelope_subjects';
    END IF;
END
$verify$;

ROLLBACK;
