-- Verify pgattest:core/require_tenant on pg

BEGIN;

DO $verify$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    PERFORM set_config('app.tenant_id', 'verify-tenant', true);
    BEGIN
        PERFORM core.require_tenant();
        RAISE EXCEPTION 'core.require_tenant() accepted app.tenant_id set without core.set_tenant()';
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
    PERFORM core.set_tenant('verify-tenant');
    IF core.require_tenant() IS DISTINCT FROM 'verify-tenant' THEN
        RAISE EXCEPTION 'core.require_tenant() does not return core.current_tenant()';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'core.require_tenant()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute core.require_tenant()';
    END IF;
END
$verify$;

ROLLBACK;
