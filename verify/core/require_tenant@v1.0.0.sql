-- Verify pgattest:core/require_tenant on pg

BEGIN;

DO $verify$
BEGIN
    PERFORM set_config('app.tenant_id', 'verify-tenant', true);
    IF core.require_tenant() IS DISTINCT FROM 'verify-tenant' THEN
        RAISE EXCEPTION 'core.require_tenant() does not read app.tenant_id';
    END IF;
    PERFORM set_config('app.tenant_id', '', true);
    BEGIN
        PERFORM core.require_tenant();
        RAISE EXCEPTION 'core.require_tenant() accepted an empty tenant';
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
    IF NOT has_function_privilege('pgattest_app', 'core.require_tenant()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute core.require_tenant()';
    END IF;
END
$verify$;

ROLLBACK;
