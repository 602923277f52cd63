-- Verify pgattest:vex/record_status_change on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'vex.record_status_change(uuid, text, text, text, text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.record_status_change(uuid, text, text, text, text, text)', 'EXECUTE')
       OR NOT (SELECT prosecdef FROM pg_proc
                WHERE oid = 'vex.record_status_change(uuid, text, text, text, text, text)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.record_status_change is not granted as designed (pgattest_app, security definer)';
    END IF;
    IF to_regprocedure('vex.update_status(uuid, text, text, text, text, text)') IS NOT NULL THEN
        RAISE EXCEPTION 'the unsigned status change must be vex.record_status_change only, not a second vex.update_status';
    END IF;
END
$verify$;

-- Issue 15 item 8: the reason code is echoed truncated.
DO $verify_echo$
BEGIN
    IF position('left(reason_code, 80)' IN (SELECT prosrc FROM pg_proc WHERE oid = 'vex.record_status_change(uuid, text, text, text, text, text)'::regprocedure)) = 0 THEN
        RAISE EXCEPTION 'vex.record_status_change echoes reason_code untruncated';
    END IF;
END
$verify_echo$;

ROLLBACK;
