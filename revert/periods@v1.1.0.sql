-- Revert pgattest:periods from pg
-- RESTRICT: fails while a table still has a period.

BEGIN;

DROP EXTENSION periods;

COMMIT;
