-- Deploy pgattest:core/tenants to pg
-- requires: core/current_tenant

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- Global table (on the catalog tests' allow-list): the registry every tenant table
-- references. RLS is enabled (not forced: the owner's definer functions manage it)
-- so an application sees only its own tenant's row, never the list of customers.
CREATE TABLE core.tenants (
    tenant_id    text        PRIMARY KEY
                 CONSTRAINT tenants_slug_format CHECK (tenant_id ~ '^[a-z][a-z0-9-]{1,62}$'),
    display_name text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    active       boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE core.tenants IS
    'Registry of tenants. tenant_id is a short slug (lower-case letter, then 1-62 of a-z, 0-9, -) that every tenant table references and that clients put in app.tenant_id. Rows are added by core.register_tenant(); applications see only their own tenant.';
COMMENT ON COLUMN core.tenants.tenant_id IS 'Tenant key: the value clients pass to set_config(''app.tenant_id'', ..., true).';
COMMENT ON COLUMN core.tenants.active IS 'False once a tenant is retired; its rows stay for audit.';

ALTER TABLE core.tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_own_row ON core.tenants FOR SELECT TO pgattest_app, pgattest_worker
    USING (tenant_id = (SELECT core.current_tenant()));
CREATE POLICY tenants_admin_all ON core.tenants FOR SELECT TO pgattest_admin USING (true);

GRANT SELECT ON core.tenants TO pgattest_app, pgattest_worker, pgattest_admin;

-- pgattest_system (the cross-tenant queue functions) reads it: the fair claim reads the tenants.
GRANT SELECT ON core.tenants TO pgattest_system;

COMMIT;
