-- Revert pgattest:_pgattest/log_key from pg

BEGIN;

DROP FUNCTION _pgattest.log_key(text, text, text);

COMMIT;
