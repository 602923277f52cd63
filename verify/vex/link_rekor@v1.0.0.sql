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

ROLLBACK;
