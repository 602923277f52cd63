-- Revert pgattest:_pgattest/triage_vex_status_rows from pg

BEGIN;

DROP FUNCTION _pgattest.triage_vex_status_rows();

COMMIT;
