-- Verify pgattest:proofchain/trust_anchors on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, name, algorithm, key_id, public_key_pem, allowed_predicate_types,
       valid_from, valid_until, revoked_at, revocation_reason FROM proofchain.trust_anchors WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'proofchain.trust_anchors'::regclass) THEN
        RAISE EXCEPTION 'proofchain.trust_anchors is not a tenant table (row security not forced)';
    END IF;
    IF NOT has_table_privilege('pgattest_admin', 'proofchain.trust_anchors', 'SELECT')
       OR has_table_privilege('pgattest_app', 'proofchain.trust_anchors', 'INSERT') THEN
        RAISE EXCEPTION 'proofchain.trust_anchors must be readable by the client roles and written only through the functions';
    END IF;
END
$verify$;

ROLLBACK;
