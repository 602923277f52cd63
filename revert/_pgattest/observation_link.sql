-- Revert pgattest:_pgattest/observation_link from pg

BEGIN;

DROP TYPE _pgattest.observation_link;

COMMIT;
