-- Verify pgattest:_pgattest/lock_ledger on pg

BEGIN;

SELECT _pgattest.lock_ledger('verify');

ROLLBACK;
