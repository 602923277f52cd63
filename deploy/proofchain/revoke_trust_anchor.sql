-- Deploy pgattest:proofchain/revoke_trust_anchor to pg
-- requires: roles schemas proofchain/trust_anchors core/require_tenant
-- A revocation is final and always says why (the table's check pairs revoked_at with a reason).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION proofchain.revoke_trust_anchor(anchor_id uuid, reason text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM core.require_tenant();
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a revocation of trust anchor % needs a reason', anchor_id
            USING ERRCODE = '22023', HINT = 'Say why the key is revoked (compromise, rotation, ...).';
    END IF;
    UPDATE proofchain.trust_anchors SET revoked_at = now(), revocation_reason = reason
     WHERE id = anchor_id AND revoked_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no unrevoked trust anchor % for this tenant', anchor_id
            USING ERRCODE = '22023', HINT = 'Check the id in proofchain.trust_anchors; a revocation is final.';
    END IF;
END
$$;

COMMENT ON FUNCTION proofchain.revoke_trust_anchor(uuid, text) IS
    'Revokes a trust anchor of the current tenant, for good. For pgattest_admin. Raises 42501 without a tenant, 22023 without a reason or for an unknown or already revoked anchor.';
REVOKE ALL ON FUNCTION proofchain.revoke_trust_anchor(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.revoke_trust_anchor(uuid, text) TO pgattest_admin;

COMMIT;
