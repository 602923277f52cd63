-- Revert pgattest:_pgattest/store_observations from pg

BEGIN;

DROP FUNCTION _pgattest.store_observations(jsonb, text, text);

COMMIT;
