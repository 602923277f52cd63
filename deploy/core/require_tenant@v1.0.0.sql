-- Deploy pgattest:core/require_tenant to pg
-- requires: schemas
-- Reads app.tenant_id itself rather than calling core.current_tenant(): the two must
-- agree (verify checks it), and this keeps the functions independent changes.

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
    tenant text := nullif(current_setting('app.tenant_id', true), '');
BEGIN
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'no tenant set for this transaction'
            USING ERRCODE = '42501',
                  HINT = 'Call SELECT set_config(''app.tenant_id'', ''<tenant>'', true) in the same transaction first.';
    END IF;
    RETURN tenant;
END
$$;

COMMENT ON FUNCTION core.require_tenant() IS
    'Returns core.current_tenant(), or raises SQLSTATE 42501 when no tenant is set. Functions that write on a tenant''s behalf call it first so they fail closed with a clear message.';

REVOKE ALL ON FUNCTION core.require_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.require_tenant() TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
