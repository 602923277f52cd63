-- Verify pgattest:vex/delta_summary on pg

BEGIN;

SELECT added, removed, status_changed FROM vex.delta_summary() WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'vex.delta_summary(timestamptz, timestamptz)', 'EXECUTE')
       OR has_function_privilege('public', 'vex.delta_summary(timestamptz, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'vex.delta_summary is not granted as designed (pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
