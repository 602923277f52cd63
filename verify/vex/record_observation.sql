-- Verify pgattest:vex/record_observation on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_function_result('vex.record_observation(text, text, timestamptz)'::regprocedure)
       <> 'TABLE(observation_id uuid, content_id text)' THEN
        RAISE EXCEPTION 'vex.record_observation must return (observation_id uuid, content_id text)';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'vex.record_observation(text, text, timestamptz)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.record_observation(text, text, timestamptz)', 'EXECUTE')
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.record_observation(text, text, timestamptz)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.record_observation is not granted as designed (pgattest_app, security definer)';
    END IF;
END
$verify$;

ROLLBACK;
