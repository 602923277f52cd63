-- Verify pgattest:vex/set_issuer_trust on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'vex.set_issuer_trust(text, integer, numeric)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'vex.set_issuer_trust(text, integer, numeric)', 'EXECUTE')
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.set_issuer_trust(text, integer, numeric)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.set_issuer_trust is not granted as designed (pgattest_admin, security definer)';
    END IF;
END
$verify$;

-- Issue 15 item 8: an oversized argument is echoed truncated, never whole.
DO $verify_echo$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    PERFORM core.set_tenant('verify-tenant');
    BEGIN
        PERFORM vex.set_issuer_trust(repeat('!', 100000), 1, 0.5);
        RAISE EXCEPTION 'no error' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE '22023' THEN
        IF length(SQLERRM) > 300 THEN
            RAISE EXCEPTION 'vex.set_issuer_trust echoes an oversized argument whole (% characters)', length(SQLERRM);
        END IF;
    END;
END
$verify_echo$;

ROLLBACK;
