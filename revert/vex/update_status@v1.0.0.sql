-- Revert pgattest:vex/update_status from pg

BEGIN;

DROP FUNCTION vex.update_status(uuid, jsonb, text, text);

COMMIT;
