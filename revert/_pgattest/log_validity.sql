-- Revert pgattest:_pgattest/log_validity from pg

BEGIN;

DROP FUNCTION _pgattest.log_validity(timestamptz, timestamptz);

COMMIT;
