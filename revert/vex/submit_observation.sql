-- Revert pgattest:vex/submit_observation from pg

BEGIN;

DROP FUNCTION vex.submit_observation(uuid, jsonb, text);

COMMIT;
