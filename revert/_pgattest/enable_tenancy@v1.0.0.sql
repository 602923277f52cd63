-- Revert pgattest:_pgattest/enable_tenancy from pg

BEGIN;

DROP FUNCTION _pgattest.enable_tenancy(regclass);

COMMIT;
