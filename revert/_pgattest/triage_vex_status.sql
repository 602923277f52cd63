-- Revert pgattest:_pgattest/triage_vex_status from pg

BEGIN;

DELETE FROM _pgattest.triage_views WHERE view_name = '_pgattest.triage_vex_status';
DROP MATERIALIZED VIEW _pgattest.triage_vex_status;

COMMIT;
