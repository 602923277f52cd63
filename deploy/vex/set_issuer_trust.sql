-- Deploy pgattest:vex/set_issuer_trust to pg
-- requires: core/require_tenant vex/issuers
-- How much a tenant trusts a VEX provider, for vex.merge.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.set_issuer_trust(provider text, trust_tier integer, trust_weight numeric DEFAULT 0.5)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF provider IS NULL OR provider !~ '^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$' THEN
        RAISE EXCEPTION 'invalid provider %', coalesce(quote_literal(left(provider, 80)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Name the provider as its observations do (1 to 200 letters, digits and ._:/@-).';
    END IF;
    IF trust_tier IS NULL OR trust_tier NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION 'invalid trust_tier % for provider %', coalesce(trust_tier::text, 'NULL'), provider
            USING ERRCODE = '22023', HINT = 'Give a tier from 0 to 100 (higher wins in vex.merge).';
    END IF;
    IF trust_weight IS NULL OR trust_weight NOT BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION 'invalid trust_weight % for provider %', coalesce(left(trust_weight::text, 40), 'NULL'), provider
            USING ERRCODE = '22023', HINT = 'Give a weight from 0 to 1.';
    END IF;
    INSERT INTO vex.issuers AS i (tenant_id, provider, trust_tier, trust_weight)
    VALUES (tenant, set_issuer_trust.provider, set_issuer_trust.trust_tier, set_issuer_trust.trust_weight)
    ON CONFLICT ON CONSTRAINT issuers_tenant_id_provider_key
    DO UPDATE SET trust_tier = excluded.trust_tier, trust_weight = excluded.trust_weight;
END
$$;

COMMENT ON FUNCTION vex.set_issuer_trust(text, integer, numeric) IS
    'Sets how much the current tenant trusts a VEX provider: trust_tier 0..100 (higher wins in vex.merge), trust_weight 0..1 (reported in traces). For pgattest_admin. Raises 42501 without a tenant, 22023 for a bad provider name or a value out of range or NULL.';
REVOKE ALL ON FUNCTION vex.set_issuer_trust(text, integer, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.set_issuer_trust(text, integer, numeric) TO pgattest_admin;

COMMIT;
