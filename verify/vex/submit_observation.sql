-- Verify pgattest:vex/submit_observation on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'vex.submit_observation(uuid, jsonb, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.submit_observation(uuid, jsonb, text)', 'EXECUTE')
       OR EXISTS (SELECT FROM pg_proc p, aclexplode(p.proacl) a
                   WHERE p.oid = 'vex.submit_observation(uuid, jsonb, text)'::regprocedure AND a.grantee = 0)
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.submit_observation(uuid, jsonb, text)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.submit_observation is not granted as designed (pgattest_app only, security definer)';
    END IF;
END
$verify$;

ROLLBACK;
