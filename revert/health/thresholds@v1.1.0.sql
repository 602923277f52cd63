-- Revert pgattest:health/thresholds from pg

BEGIN;

DROP TABLE health.thresholds;

COMMIT;
