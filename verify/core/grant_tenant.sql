-- Verify pgattest:core/grant_tenant on pg

BEGIN;

DO $verify$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    IF NOT core.grant_tenant(session_user, 'verify-tenant') OR core.grant_tenant(session_user, 'verify-tenant') THEN
        RAISE EXCEPTION 'core.grant_tenant() must add a binding once and report an existing one as false';
    END IF;
    IF NOT has_function_privilege('pgattest_admin', 'core.grant_tenant(name, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'core.grant_tenant(name, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'core.grant_tenant() is for pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
