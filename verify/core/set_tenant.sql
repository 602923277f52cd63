-- Verify pgattest:core/set_tenant on pg

BEGIN;

DO $verify$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    IF core.set_tenant('verify-tenant') IS DISTINCT FROM 'verify-tenant'
       OR core.current_tenant() IS DISTINCT FROM 'verify-tenant' THEN
        RAISE EXCEPTION 'core.set_tenant() does not set the tenant core.current_tenant() reads';
    END IF;
    BEGIN
        PERFORM core.set_tenant('verify-no-such-tenant');
        RAISE EXCEPTION 'core.set_tenant() accepted an unknown tenant';
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END;
    IF NOT has_function_privilege('pgattest_app', 'core.set_tenant(text)', 'EXECUTE')
       OR has_function_privilege('public', 'core.set_tenant(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'core.set_tenant() must be executable by pgattest_app and not by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
