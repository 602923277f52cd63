-- Revert pgattest:_pgattest/lock_unknown from pg

BEGIN;

DROP FUNCTION _pgattest.lock_unknown(uuid);

COMMIT;
