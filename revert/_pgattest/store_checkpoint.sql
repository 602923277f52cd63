-- Revert pgattest:_pgattest/store_checkpoint from pg

BEGIN;

DROP FUNCTION _pgattest.store_checkpoint(text, text);

COMMIT;
