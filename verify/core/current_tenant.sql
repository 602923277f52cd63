-- Verify pgattest:core/current_tenant on pg

BEGIN;

DO $verify$
DECLARE
    marker text := (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text;
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    PERFORM set_config('app.tenant_id', 'verify-tenant', true);
    IF core.current_tenant() IS NOT NULL THEN
        RAISE EXCEPTION 'core.current_tenant() honours app.tenant_id without the transaction marker of core.set_tenant()';
    END IF;
    PERFORM set_config('pgattest.tenant_xact', marker, true);
    IF core.current_tenant() IS DISTINCT FROM 'verify-tenant' THEN
        RAISE EXCEPTION 'core.current_tenant() does not honour a tenant set in this transaction';
    END IF;
    PERFORM set_config('pgattest.tenant_xact', (marker::bigint + 1)::text, true);
    IF core.current_tenant() IS NOT NULL THEN
        RAISE EXCEPTION 'core.current_tenant() honours the marker of another transaction';
    END IF;
    PERFORM set_config('pgattest.tenant_xact', marker, true);
    UPDATE core.tenants SET active = false WHERE tenant_id = 'verify-tenant';
    IF core.current_tenant() IS NOT NULL THEN
        RAISE EXCEPTION 'core.current_tenant() honours a retired tenant';
    END IF;
    UPDATE core.tenants SET active = true WHERE tenant_id = 'verify-tenant';
    INSERT INTO core.tenant_logins (tenant_id, login) VALUES ('verify-tenant', 'verify-other-login');
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant-b', 'verify');
    INSERT INTO core.tenant_logins (tenant_id, login) VALUES ('verify-tenant-b', session_user);
    IF core.current_tenant() IS NOT NULL THEN
        RAISE EXCEPTION 'core.current_tenant() honours a tenant the login is not bound to';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'core.current_tenant()', 'EXECUTE')
       OR has_function_privilege('public', 'core.current_tenant()', 'EXECUTE') THEN
        RAISE EXCEPTION 'core.current_tenant() must be executable by pgattest_app and not by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
