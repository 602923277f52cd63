-- Revert pgattest:_pgattest/verified_checkpoint from pg

BEGIN;

DROP FUNCTION _pgattest.verified_checkpoint(text, text);

COMMIT;
