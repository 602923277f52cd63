-- Revert pgattest:_pgattest/verify_tlog_entry_at from pg

BEGIN;

DROP FUNCTION _pgattest.verify_tlog_entry_at(jsonb, jsonb, boolean, double precision);

COMMIT;
