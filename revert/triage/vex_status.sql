-- Revert pgattest:triage/vex_status from pg

BEGIN;

DROP FUNCTION triage.vex_status();

COMMIT;
