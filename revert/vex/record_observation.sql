-- Revert pgattest:vex/record_observation from pg

BEGIN;

DROP FUNCTION vex.record_observation(text, text, timestamptz);

COMMIT;
