-- Verify pgattest:core/register_tenant on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'core.register_tenant(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_admin cannot execute core.register_tenant';
    END IF;
    IF has_function_privilege('pgattest_app', 'core.register_tenant(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute core.register_tenant';
    END IF;
END
$verify$;

ROLLBACK;
