-- Revert pgattest:_pgattest/der_to_pem from pg

BEGIN;

DROP FUNCTION _pgattest.der_to_pem(bytea);

COMMIT;
