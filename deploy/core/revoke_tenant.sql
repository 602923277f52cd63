-- Deploy pgattest:core/revoke_tenant to pg
-- requires: core/tenant_logins

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.revoke_tenant(login name, tenant text)
RETURNS boolean
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM core.tenant_logins b
         WHERE b.login = revoke_tenant.login AND b.tenant_id = revoke_tenant.tenant
        RETURNING 1)
    SELECT EXISTS (SELECT FROM gone)
$$;

COMMENT ON FUNCTION core.revoke_tenant(name, text) IS
    'Removes a login''s binding to a tenant; returns false when there was none. Removing a login''s last binding returns it to the default (any active tenant): to lock a login out, revoke its pgattest role instead. For pgattest_admin.';

REVOKE ALL ON FUNCTION core.revoke_tenant(name, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.revoke_tenant(name, text) TO pgattest_admin;

COMMIT;
