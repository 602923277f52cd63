-- Revert pgattest:_pgattest/setting_int from pg

BEGIN;

DROP FUNCTION _pgattest.setting_int(text, integer);

COMMIT;
