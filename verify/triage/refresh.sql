-- Verify pgattest:triage/refresh on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'triage.refresh()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_worker cannot execute triage.refresh()';
    END IF;
    IF has_function_privilege('pgattest_app', 'triage.refresh()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute triage.refresh()';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE $$SELECT 1 / count(*) FROM cron.job WHERE jobname = 'pgattest_triage_refresh'$$;
    END IF;
END
$verify$;

ROLLBACK;
