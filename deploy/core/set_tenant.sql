-- Deploy pgattest:core/set_tenant to pg
-- requires: core/current_tenant
-- One call per transaction, before anything else that touches tenant data. Both
-- settings are transaction-local (set_config's third argument), so the context ends
-- with the transaction: safe under PgBouncer transaction pooling. Not SECURITY DEFINER
-- and reading no table itself: whether the tenant counts is core.current_tenant()'s
-- decision, asked at the end, so a client calling set_config directly gains nothing.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.set_tenant(tenant text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF tenant IS NULL OR tenant !~ '^[a-z][a-z0-9-]{1,62}$' THEN
        RAISE EXCEPTION 'invalid tenant id %', coalesce(quote_literal(left(tenant, 80)), 'NULL')
            USING ERRCODE = '22023',
                  HINT = 'A tenant id is 2 to 63 characters: a lower-case letter, then lower-case letters, digits or hyphens.';
    END IF;
    PERFORM set_config('app.tenant_id', tenant, true);
    PERFORM set_config('pgattest.tenant_xact',
                       (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text, true);
    IF core.current_tenant() IS DISTINCT FROM tenant THEN
        -- The raise undoes both settings with the (sub)transaction. One message for an
        -- unknown, a retired and an unbound tenant: no oracle of which it is.
        RAISE EXCEPTION 'tenant % is not available to login %', quote_literal(tenant), session_user
            USING ERRCODE = '42501',
                  HINT = 'The tenant must be registered and active, and bound to this login when the login has bindings (core.grant_tenant).';
    END IF;
    RETURN tenant;
END
$$;

COMMENT ON FUNCTION core.set_tenant(text) IS
    'Sets the tenant of the current transaction and returns it: call SELECT core.set_tenant(''acme'') once per transaction, before touching tenant data. Transaction-local (safe under transaction pooling). Raises 22023 for a malformed id and 42501 when the tenant is unknown, retired, or not bound to this login (core.grant_tenant).';

REVOKE ALL ON FUNCTION core.set_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.set_tenant(text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
