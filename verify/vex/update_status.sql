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

-- Issue 15 item 8: the reason code is echoed truncated.
DO $verify_echo$
BEGIN
    IF position('left(reason_code, 80)' IN (SELECT prosrc FROM pg_proc WHERE oid = 'vex.update_status(uuid, jsonb, text, text)'::regprocedure)) = 0 THEN
        RAISE EXCEPTION 'vex.update_status echoes reason_code untruncated';
    END IF;
END
$verify_echo$;

ROLLBACK;
