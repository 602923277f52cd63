-- Revert pgattest:_pgattest/ledger_append_only from pg

BEGIN;

DROP FUNCTION _pgattest.ledger_append_only();

COMMIT;
