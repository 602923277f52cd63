-- Revert pgattest:health/set_threshold from pg

BEGIN;

DROP FUNCTION health.set_threshold(text, double precision, double precision);

COMMIT;
