-- Verify pgattest:core/tenants on pg

BEGIN;

SELECT tenant_id, display_name, active, created_at, updated_at FROM core.tenants WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = 'core.tenants'::regclass) THEN
        RAISE EXCEPTION 'row-level security is not enabled on core.tenants';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'core.tenants', 'SELECT')
       OR has_table_privilege('pgattest_app', 'core.tenants', 'INSERT') THEN
        RAISE EXCEPTION 'pgattest_app must read core.tenants and not write it';
    END IF;
END
$verify$;

ROLLBACK;
