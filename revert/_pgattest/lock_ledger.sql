-- Revert pgattest:_pgattest/lock_ledger from pg

BEGIN;

DROP FUNCTION _pgattest.lock_ledger(text);

COMMIT;
