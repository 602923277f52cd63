-- Revert pgattest:_pgattest/ledger_inclusion_proof from pg

BEGIN;

DROP FUNCTION _pgattest.ledger_inclusion_proof(bytea, bigint, bigint);

COMMIT;
