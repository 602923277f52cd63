-- Revert pgattest:_pgattest/database_setting_int from pg

BEGIN;

DROP FUNCTION _pgattest.database_setting_int(text, integer);

COMMIT;
