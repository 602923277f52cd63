-- Revert pgattest:triage/refresh from pg

BEGIN;

DO $cron$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE $$SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'pgattest_triage_refresh'$$;
    END IF;
END
$cron$;
DROP FUNCTION triage.refresh();

COMMIT;
