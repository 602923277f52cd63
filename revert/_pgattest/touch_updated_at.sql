-- Revert pgattest:_pgattest/touch_updated_at from pg

BEGIN;

DROP FUNCTION _pgattest.touch_updated_at();

COMMIT;
