-- Revert pgattest:_pgattest/entry_identities from pg

BEGIN;

DROP FUNCTION _pgattest.entry_identities(bytea);

COMMIT;
