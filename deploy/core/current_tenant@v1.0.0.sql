-- Deploy pgattest:core/current_tenant to pg
-- requires: schemas
-- The tenant context is the transaction-local setting app.tenant_id, set by clients
-- with SELECT set_config('app.tenant_id', 'acme', true). Transaction-local is what
-- keeps it safe under PgBouncer transaction pooling: the next transaction on the same
-- server session starts with no tenant. After such a transaction ends,
-- current_setting() returns '' rather than NULL, so '' also means "no tenant".

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.current_tenant()
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT nullif(current_setting('app.tenant_id', true), '')
$$;

COMMENT ON FUNCTION core.current_tenant() IS
    'The tenant of the current transaction: app.tenant_id as set by set_config(''app.tenant_id'', <tenant>, true), or NULL when unset or empty. Row-level security policies compare tenant_id = (SELECT core.current_tenant()), so with no tenant set every tenant table is empty and rejects writes.';

REVOKE ALL ON FUNCTION core.current_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.current_tenant() TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
