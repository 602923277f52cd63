-- Deploy pgattest:core/tenant_logins to pg
-- requires: core/tenants

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- Global table (on the catalog tests' allow-list): which login roles may act for which
-- tenants. Without it any application login can set any tenant, and row-level security
-- only guards against application mistakes; with a binding, a stolen credential of one
-- service reaches only the tenants that service serves. Read by core.current_tenant()
-- (a definer function owned by pgattest_owner), written by core.grant_tenant() and
-- core.revoke_tenant(); no other role reads it, so no login learns another's bindings.
CREATE TABLE core.tenant_logins (
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    login      name        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by name        NOT NULL DEFAULT session_user,
    PRIMARY KEY (login, tenant_id)
);

COMMENT ON TABLE core.tenant_logins IS
    'Bindings of login roles to the tenants they may act for (core.grant_tenant, core.revoke_tenant). A login with at least one binding has core.current_tenant() honour only its bound tenants; a login with none keeps the default (any registered, active tenant). Global, read only by pgattest''s definer functions.';
COMMENT ON COLUMN core.tenant_logins.login IS 'The login (session_user) the binding is for: under SET ROLE or a pooler, the role that authenticated.';

REVOKE ALL ON core.tenant_logins FROM PUBLIC;

COMMIT;
