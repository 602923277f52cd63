-- Revert pgattest:_pgattest/public_key_info from pg

BEGIN;

DROP FUNCTION _pgattest.public_key_info(text);

COMMIT;
