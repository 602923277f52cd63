-- Revert pgattest:_pgattest/triage_vex_top from pg

BEGIN;

DELETE FROM _pgattest.triage_views WHERE view_name = '_pgattest.triage_vex_top';
DROP MATERIALIZED VIEW _pgattest.triage_vex_top;

COMMIT;
