-- Revert pgattest:vex/delta_summary from pg

BEGIN;

DROP FUNCTION vex.delta_summary(timestamptz, timestamptz);

COMMIT;
