-- Revert pgattest:vex/observations from pg

BEGIN;

DROP TABLE vex.observations;

COMMIT;
