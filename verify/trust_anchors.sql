-- Verify pgattest:trust_anchors on pg

BEGIN;

SELECT id, tenant_id, name, algorithm, key_id, public_key_pem, allowed_predicate_types, valid_from,
       valid_until, revoked_at, revocation_reason FROM proofchain.trust_anchors WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_admin cannot execute proofchain.add_trust_anchor';
    END IF;
END
$verify$;

ROLLBACK;
