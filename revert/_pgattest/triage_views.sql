-- Revert pgattest:_pgattest/triage_views from pg

BEGIN;

DROP TABLE _pgattest.triage_views;

COMMIT;
