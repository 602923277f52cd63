-- Revert pgattest:_pgattest/store_verified_checkpoint from pg

BEGIN;

DROP FUNCTION _pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb);

COMMIT;
