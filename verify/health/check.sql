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
    -- A check where lower is worse fails at or below its bound (rolled back below).
    UPDATE health.thresholds SET lower_is_worse = true, warn_above = 1e12, fail_above = 1e12
     WHERE check_key = 'database:responseTime';
    IF health.check()->'checks'->'database:responseTime'->0->>'status' IS DISTINCT FROM 'fail' THEN
        RAISE EXCEPTION 'health.check() does not judge checks where lower is worse';
    END IF;
END
$verify$;

ROLLBACK;
