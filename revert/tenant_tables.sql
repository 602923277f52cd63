-- Revert pgattest:tenant_tables from pg

BEGIN;

DROP FUNCTION _pgattest.enable_tenancy(regclass);
DROP FUNCTION _pgattest.touch_updated_at();

COMMIT;
