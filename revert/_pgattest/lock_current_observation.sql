-- Revert pgattest:_pgattest/lock_current_observation from pg

BEGIN;

DROP FUNCTION _pgattest.lock_current_observation(uuid);

COMMIT;
