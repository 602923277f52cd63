-- Verify pgattest:core/revoke_tenant on pg

BEGIN;

DO $verify$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    INSERT INTO core.tenant_logins (tenant_id, login) VALUES ('verify-tenant', 'verify-login');
    IF NOT core.revoke_tenant('verify-login', 'verify-tenant') OR core.revoke_tenant('verify-login', 'verify-tenant') THEN
        RAISE EXCEPTION 'core.revoke_tenant() must remove a binding once and report a missing one as false';
    END IF;
    IF has_function_privilege('pgattest_app', 'core.revoke_tenant(name, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'core.revoke_tenant() is for pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
