-- Deploy pgattest:core/register_tenant to pg
-- requires: core/tenants

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.register_tenant(tenant_id text, display_name text)
RETURNS core.tenants
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result core.tenants;
BEGIN
    IF tenant_id IS NULL OR tenant_id !~ '^[a-z][a-z0-9-]{1,62}$' THEN
        RAISE EXCEPTION 'invalid tenant_id %', coalesce(quote_literal(tenant_id), 'NULL')
            USING ERRCODE = '22023',
                  HINT = 'A tenant_id is 2 to 63 characters: a lower-case letter, then lower-case letters, digits or hyphens.';
    END IF;
    IF display_name IS NULL OR length(btrim(display_name)) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'invalid display_name % for tenant %', coalesce(quote_literal(display_name), 'NULL'), tenant_id
            USING ERRCODE = '22023', HINT = 'Give a display name of 1 to 200 characters.';
    END IF;
    INSERT INTO core.tenants AS t (tenant_id, display_name)
    VALUES (register_tenant.tenant_id, register_tenant.display_name)
    RETURNING * INTO result;
    RETURN result;
EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'tenant % is already registered', tenant_id
        USING ERRCODE = '23505', HINT = 'Tenant ids are permanent; choose another id or use the existing tenant.';
END
$$;

COMMENT ON FUNCTION core.register_tenant(text, text) IS
    'Registers a tenant and returns its row. For pgattest_admin. Raises 22023 for a tenant_id that is not a valid slug or an empty display name, and 23505 when the tenant already exists.';

REVOKE ALL ON FUNCTION core.register_tenant(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.register_tenant(text, text) TO pgattest_admin;

COMMIT;
