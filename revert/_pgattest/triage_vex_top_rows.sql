-- Revert pgattest:_pgattest/triage_vex_top_rows from pg

BEGIN;

DROP FUNCTION _pgattest.triage_vex_top_rows(integer);

COMMIT;
