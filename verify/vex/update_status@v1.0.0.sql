-- Verify pgattest:vex/update_status on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'vex.update_status(uuid, jsonb, text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.update_status(uuid, jsonb, text, text)', 'EXECUTE')
       OR EXISTS (SELECT FROM pg_proc p, aclexplode(p.proacl) a
                   WHERE p.oid = 'vex.update_status(uuid, jsonb, text, text)'::regprocedure AND a.grantee = 0)
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.update_status(uuid, jsonb, text, text)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.update_status is not granted as designed (pgattest_app only, security definer)';
    END IF;
END
$verify$;

ROLLBACK;
