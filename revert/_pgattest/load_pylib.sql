-- Revert pgattest:_pgattest/load_pylib from pg

BEGIN;

DROP FUNCTION _pgattest.load_pylib();

COMMIT;
