-- Revert pgattest:vex/record_status_change from pg

BEGIN;

DROP FUNCTION vex.record_status_change(uuid, text, text, text, text, text);

COMMIT;
