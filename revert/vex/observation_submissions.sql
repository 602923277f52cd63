-- Revert pgattest:vex/observation_submissions from pg

BEGIN;

DROP TABLE vex.observation_submissions;

COMMIT;
