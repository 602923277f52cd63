-- Deploy pgattest:proofchain/add_trust_anchor to pg
-- requires: roles schemas proofchain/trust_anchors core/require_tenant _pgattest/public_key_info
-- The algorithm and key id of an anchor come from the key (_pgattest.public_key_info), never
-- from the caller.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION proofchain.add_trust_anchor(name text, public_key_pem text,
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
REVOKE ALL ON FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz) TO pgattest_admin;

COMMIT;
