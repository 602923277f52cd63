-- Deploy pgattest:proofchain/trust_anchors to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- A tenant's signer keys: written only through proofchain.add_trust_anchor (which derives
-- the algorithm and key id from the key itself) and proofchain.revoke_trust_anchor.

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

-- pgattest_system (the cross-tenant queue functions) reads it: a claim returns each envelope's signer key.
GRANT SELECT ON proofchain.trust_anchors TO pgattest_system;

COMMIT;
