-- Revert pgattest:_pgattest/link_observations from pg

BEGIN;

DROP FUNCTION _pgattest.link_observations(_pgattest.observation_link[]);

COMMIT;
