-- Verify pgattest:triage/vex_status on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'triage.vex_status()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute triage.vex_status()';
    END IF;
END
$verify$;

ROLLBACK;
