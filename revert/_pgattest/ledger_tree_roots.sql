-- Revert pgattest:_pgattest/ledger_tree_roots from pg

BEGIN;

DROP FUNCTION _pgattest.ledger_tree_roots(bytea, bigint[]);

COMMIT;
