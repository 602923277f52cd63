-- Revert pgattest:_pgattest/vex_mappings from pg

BEGIN;

DROP FUNCTION _pgattest.vex_mappings();

COMMIT;
