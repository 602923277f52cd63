-- Revert pgattest:_pgattest/ledger_consistency_proof from pg

BEGIN;

DROP FUNCTION _pgattest.ledger_consistency_proof(bytea, bigint, bigint);

COMMIT;
