-- Revert pgattest:_pgattest/observations_immutable from pg

BEGIN;

DROP FUNCTION _pgattest.observations_immutable();

COMMIT;
