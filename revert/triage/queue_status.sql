-- Revert pgattest:triage/queue_status from pg

BEGIN;

DROP FUNCTION triage.queue_status();

COMMIT;
