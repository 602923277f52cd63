-- Revert pgattest:_pgattest/require_observation_subject from pg

BEGIN;

DROP FUNCTION _pgattest.require_observation_subject(uuid, vex.observations);

COMMIT;
