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

ROLLBACK;
