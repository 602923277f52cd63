-- Verify pgattest:triage/freshness on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'triage.freshness()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute triage.freshness()';
    END IF;
END
$verify$;

ROLLBACK;
