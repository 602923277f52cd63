-- Deploy pgattest:core/grant_tenant to pg
-- requires: core/tenant_logins core/tenants

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.grant_tenant(login name, tenant text)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    added boolean;
BEGIN
    IF login IS NULL OR NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = login AND r.rolcanlogin) THEN
        RAISE EXCEPTION 'no login role %', coalesce(quote_ident(left(login, 80)), 'NULL')
            USING ERRCODE = '22023',
                  HINT = 'Bind a role that can log in (CREATE ROLE ... LOGIN); bindings apply to session_user.';
    END IF;
    IF tenant IS NULL OR NOT EXISTS (SELECT FROM core.tenants t WHERE t.tenant_id = tenant) THEN
        RAISE EXCEPTION 'tenant % is not registered', coalesce(quote_literal(left(tenant, 80)), 'NULL')
            USING ERRCODE = '23503', HINT = 'Register it first with core.register_tenant().';
    END IF;
    INSERT INTO core.tenant_logins (tenant_id, login, granted_by)
    VALUES (grant_tenant.tenant, grant_tenant.login, session_user)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END
$$;

COMMENT ON FUNCTION core.grant_tenant(name, text) IS
    'Binds a login role to a tenant it may act for; returns false when the binding existed. From the first binding on, core.set_tenant() and core.current_tenant() honour only the login''s bound tenants (a login with no binding may act for any active tenant). For pgattest_admin. Raises 22023 for a role that does not exist or cannot log in, 23503 for an unregistered tenant.';

REVOKE ALL ON FUNCTION core.grant_tenant(name, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.grant_tenant(name, text) TO pgattest_admin;

COMMIT;
