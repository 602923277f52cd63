-- Verify pgattest:health/check on pg

BEGIN;

DO $verify$
DECLARE
    report jsonb := health.check();
BEGIN
    IF report->>'status' NOT IN ('pass', 'warn', 'fail') OR jsonb_typeof(report->'checks'->'queue:depth') <> 'array' THEN
        RAISE EXCEPTION 'health.check() does not answer in the health-check format: %', left(report::text, 200);
    END IF;
    IF NOT has_function_privilege('pgattest_monitor', 'health.check()', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'health.check()', 'EXECUTE') THEN
        RAISE EXCEPTION 'health.check() is for pgattest_monitor and admins only';
    END IF;
END
$verify$;

ROLLBACK;
