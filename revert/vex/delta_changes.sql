-- Revert pgattest:vex/delta_changes from pg

BEGIN;

DROP TABLE vex.delta_changes;

COMMIT;
