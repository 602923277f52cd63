-- Deploy pgattest:trust_anchors to pg
-- requires: tenant_tables dsse_verify

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.trust_anchors (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id               text        NOT NULL REFERENCES core.tenants,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    name                    text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    algorithm               text        NOT NULL CHECK (algorithm IN ('ecdsa-p256', 'ecdsa-p384', 'ed25519', 'rsa')),
    key_id                  text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{64}$'),
    public_key_pem          text        NOT NULL,
    allowed_predicate_types text[]      CHECK (cardinality(allowed_predicate_types) > 0),
    valid_from              timestamptz NOT NULL DEFAULT now(),
    valid_until             timestamptz,
    revoked_at              timestamptz,
    revocation_reason       text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, key_id),
    CHECK (valid_until IS NULL OR valid_until > valid_from),
    -- A revocation always says why.
    CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
);
SELECT _pgattest.enable_tenancy('proofchain.trust_anchors');

COMMENT ON TABLE proofchain.trust_anchors IS
    'Public keys a tenant trusts to sign DSSE attestations, with the predicate types each may sign (NULL: any), a validity window and revocation. attestor.submit_envelope accepts an envelope only when a current anchor''s signature verifies.';
COMMENT ON COLUMN proofchain.trust_anchors.key_id IS 'Hex SHA-256 of the DER SubjectPublicKeyInfo: unique per tenant.';
COMMENT ON COLUMN proofchain.trust_anchors.revoked_at IS 'Set (with revocation_reason) by proofchain.revoke_trust_anchor; a revoked anchor verifies nothing new.';

GRANT SELECT ON proofchain.trust_anchors TO pgattest_app, pgattest_admin;

CREATE FUNCTION proofchain.add_trust_anchor(name text, public_key_pem text,
                                            allowed_predicate_types text[] DEFAULT NULL,
                                            valid_from timestamptz DEFAULT now(),
                                            valid_until timestamptz DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    k record;
    anchor uuid;
BEGIN
    IF name IS NULL OR length(btrim(name)) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'invalid trust anchor name %', coalesce(quote_literal(name), 'NULL')
            USING ERRCODE = '22023', HINT = 'Give a name of 1 to 200 characters.';
    END IF;
    IF valid_until IS NOT NULL AND valid_until <= coalesce(valid_from, now()) THEN
        RAISE EXCEPTION 'trust anchor % would expire (%) before it starts (%)', name, valid_until, valid_from
            USING ERRCODE = '22023', HINT = 'valid_until must be later than valid_from.';
    END IF;
    SELECT * INTO k FROM _pgattest.public_key_info(public_key_pem);
    IF k.algorithm IS NULL THEN
        RAISE EXCEPTION 'public_key_pem is NULL' USING ERRCODE = '22004', HINT = 'Pass the signer''s PEM public key.';
    END IF;
    INSERT INTO proofchain.trust_anchors AS t
           (tenant_id, name, algorithm, key_id, public_key_pem, allowed_predicate_types, valid_from, valid_until)
    VALUES (tenant, add_trust_anchor.name, k.algorithm, k.key_id, public_key_pem,
            add_trust_anchor.allowed_predicate_types, coalesce(add_trust_anchor.valid_from, now()),
            add_trust_anchor.valid_until)
    RETURNING t.id INTO anchor;
    RETURN anchor;
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'key % is already a trust anchor of tenant %', k.key_id, tenant
        USING ERRCODE = '23505', HINT = 'Revoke the existing anchor first, or keep using it.';
END
$$;

COMMENT ON FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz) IS
    'Adds a signer''s public key (PEM: ECDSA P-256/P-384, Ed25519 or RSA) as a trust anchor of the current tenant and returns its id. For pgattest_admin. Raises 42501 without a tenant, 22023 for a bad name, validity window or key type, 22P02 for an undecodable PEM, 23505 when the key is already an anchor.';

CREATE FUNCTION proofchain.revoke_trust_anchor(anchor_id uuid, reason text)
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

REVOKE ALL ON FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz),
    proofchain.revoke_trust_anchor(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz),
    proofchain.revoke_trust_anchor(uuid, text) TO pgattest_admin;

COMMIT;
