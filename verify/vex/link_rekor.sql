-- Verify pgattest:vex/link_rekor on pg

BEGIN;

DO $verify$
DECLARE
    f regprocedure;
BEGIN
    FOREACH f IN ARRAY ARRAY['vex.link_rekor(uuid, uuid)'::regprocedure, 'vex.link_rekor(uuid, text)'::regprocedure] LOOP
        IF NOT has_function_privilege('pgattest_app', f, 'EXECUTE')
           OR NOT has_function_privilege('pgattest_worker', f, 'EXECUTE')
           OR has_function_privilege('pgattest_admin', f, 'EXECUTE')
           OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = f) THEN
            RAISE EXCEPTION '% is not granted as designed (pgattest_app and pgattest_worker, security definer)', f;
        END IF;
    END LOOP;
END
$verify$;

-- Issue 15 item 8: an oversized argument is echoed truncated, never whole.
DO $verify_echo$
BEGIN
    INSERT INTO core.tenants (tenant_id, display_name) VALUES ('verify-tenant', 'verify');
    PERFORM core.set_tenant('verify-tenant');
    BEGIN
        PERFORM vex.link_rekor(gen_random_uuid(), repeat('a', 100000));
        RAISE EXCEPTION 'no error' USING ERRCODE = 'P0001';
    EXCEPTION WHEN SQLSTATE '22023' THEN
        IF length(SQLERRM) > 300 THEN
            RAISE EXCEPTION 'vex.link_rekor echoes an oversized argument whole (% characters)', length(SQLERRM);
        END IF;
    END;
END
$verify_echo$;

ROLLBACK;
