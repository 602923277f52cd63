-- Revert pgattest:_pgattest/split_unknown from pg

BEGIN;

DROP FUNCTION _pgattest.split_unknown(text, uuid, timestamptz);

COMMIT;
