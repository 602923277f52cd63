-- Revert pgattest:health/check from pg

BEGIN;

DROP FUNCTION health.check();

COMMIT;
