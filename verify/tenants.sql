-- Verify pgattest:tenants on pg

BEGIN;

SELECT tenant_id, display_name, active, created_at, updated_at FROM core.tenants WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'core.register_tenant(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_admin cannot execute core.register_tenant';
    END IF;
    IF has_function_privilege('pgattest_app', 'core.register_tenant(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute core.register_tenant';
    END IF;
    IF NOT (SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = 'core.tenants'::regclass) THEN
        RAISE EXCEPTION 'row-level security is not enabled on core.tenants';
    END IF;
END
$verify$;

ROLLBACK;
