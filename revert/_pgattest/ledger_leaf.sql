-- Revert pgattest:_pgattest/ledger_leaf from pg

BEGIN;

DROP FUNCTION _pgattest.ledger_leaf(text, bigint, uuid, text, timestamptz, text, text, text, text, uuid[], uuid[], uuid[], text[], text[], bytea);

COMMIT;
