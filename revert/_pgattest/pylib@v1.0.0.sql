-- Revert pgattest:_pgattest/pylib from pg

BEGIN;

DROP TABLE _pgattest.pylib;

COMMIT;
