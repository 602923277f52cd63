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

-- Issue 15 item 8: an oversized argument is echoed truncated, never whole.
DO $verify_echo$
BEGIN
    BEGIN
        PERFORM core.register_tenant(repeat('!', 100000), 'x');
        RAISE EXCEPTION 'no error' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE '22023' THEN
        IF length(SQLERRM) > 300 THEN
            RAISE EXCEPTION 'core.register_tenant echoes an oversized argument whole (% characters)', length(SQLERRM);
        END IF;
    END;
END
$verify_echo$;

ROLLBACK;
