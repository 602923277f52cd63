-- Verify pgattest:vex/merge on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_function_result('vex.merge(text, text)'::regprocedure) <> 'vex.merge_traces' THEN
        RAISE EXCEPTION 'vex.merge must return a vex.merge_traces row';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'vex.merge(text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.merge(text, text)', 'EXECUTE')
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.merge(text, text)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.merge is not granted as designed (pgattest_app, security definer)';
    END IF;
END
$verify$;

-- Issue 15 item 8: an oversized argument is echoed truncated, never whole.
DO $verify_echo$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    PERFORM core.set_tenant('verify-tenant');
    BEGIN
        PERFORM vex.merge(repeat('x', 100000), repeat('p', 100000));
        RAISE EXCEPTION 'no error' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE '22023' THEN
        IF length(SQLERRM) > 300 THEN
            RAISE EXCEPTION 'vex.merge echoes an oversized argument whole (% characters)', length(SQLERRM);
        END IF;
    END;
END
$verify_echo$;

ROLLBACK;
