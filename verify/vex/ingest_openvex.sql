-- Verify pgattest:vex/ingest_openvex on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_function_result('vex.ingest_openvex(text, text)'::regprocedure) <> 'TABLE(observation_id uuid, content_id text)' THEN
        RAISE EXCEPTION 'vex.ingest_openvex must return (observation_id uuid, content_id text)';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'vex.ingest_openvex(text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.ingest_openvex(text, text)', 'EXECUTE')
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.ingest_openvex(text, text)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.ingest_openvex is not granted as designed (pgattest_app, security definer)';
    END IF;
END
$verify$;

ROLLBACK;
