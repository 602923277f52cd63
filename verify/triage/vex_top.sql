-- Verify pgattest:triage/vex_top on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'triage.vex_top(text, integer)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute triage.vex_top(text, integer)';
    END IF;
END
$verify$;

ROLLBACK;
