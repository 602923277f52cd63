-- Revert pgattest:_pgattest/attest_observation from pg

BEGIN;

DROP FUNCTION _pgattest.attest_observation(vex.observations, uuid);

COMMIT;
