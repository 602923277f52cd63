-- Verify pgattest:_pgattest/entry_identities on pg

BEGIN;

SELECT '_pgattest.entry_identities(bytea)'::regprocedure;

ROLLBACK;
