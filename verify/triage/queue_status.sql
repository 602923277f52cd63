-- Verify pgattest:triage/queue_status on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'triage.queue_status()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute triage.queue_status()';
    END IF;
END
$verify$;

ROLLBACK;
