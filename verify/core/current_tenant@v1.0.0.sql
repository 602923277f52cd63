-- Verify pgattest:core/current_tenant on pg

BEGIN;

DO $verify$
BEGIN
    PERFORM set_config('app.tenant_id', '', true);
    IF core.current_tenant() IS NOT NULL THEN
        RAISE EXCEPTION 'core.current_tenant() must treat an empty app.tenant_id as no tenant';
    END IF;
    PERFORM set_config('app.tenant_id', 'verify-tenant', true);
    IF core.current_tenant() IS DISTINCT FROM 'verify-tenant' THEN
        RAISE EXCEPTION 'core.current_tenant() does not read app.tenant_id';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'core.current_tenant()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute core.current_tenant()';
    END IF;
END
$verify$;

ROLLBACK;
