-- Deploy pgattest:core/require_tenant to pg
-- requires: core/current_tenant

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.require_tenant()
RETURNS text
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.current_tenant();
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'no tenant set for this transaction'
            USING ERRCODE = '42501',
                  HINT = 'Call SELECT core.set_tenant(''<tenant>'') in the same transaction first; SET app.tenant_id or set_config(..., false) does not count.';
    END IF;
    RETURN tenant;
END
$$;

COMMENT ON FUNCTION core.require_tenant() IS
    'Returns core.current_tenant(), or raises SQLSTATE 42501 when there is none (no core.set_tenant() in this transaction, or a retired or unbound tenant). Functions that write on a tenant''s behalf call it first so they fail closed with a clear message.';

REVOKE ALL ON FUNCTION core.require_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.require_tenant() TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
