-- Verify pgattest:proofchain/dsse_envelopes on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, content_digest, envelope, payload_type, payload, signatures,
       trust_anchor_id, statement, statement_type, predicate_type FROM proofchain.dsse_envelopes WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'proofchain.dsse_envelopes'::regclass) THEN
        RAISE EXCEPTION 'proofchain.dsse_envelopes is not a tenant table (row security not forced)';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'proofchain.dsse_envelopes', 'SELECT')
       OR has_table_privilege('pgattest_app', 'proofchain.dsse_envelopes', 'INSERT') THEN
        RAISE EXCEPTION 'proofchain.dsse_envelopes must be readable by pgattest_app and written only through attestor.submit_envelope';
    END IF;
END
$verify$;

ROLLBACK;
