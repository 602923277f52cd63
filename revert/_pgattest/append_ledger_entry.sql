-- Revert pgattest:_pgattest/append_ledger_entry from pg

BEGIN;

DROP FUNCTION _pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[]);

REVOKE EXECUTE ON FUNCTION _pgattest.lock_ledger(text) FROM pgattest_system;
REVOKE EXECUTE ON FUNCTION core.require_tenant(), core.current_tenant() FROM pgattest_system;
REVOKE EXECUTE ON FUNCTION _pgattest.ledger_leaf(text, bigint, uuid, text, timestamptz, text, text, text, text, uuid[], uuid[], uuid[], text[], text[], bytea) FROM pgattest_system;
REVOKE SELECT, INSERT ON verdict.ledger_entries FROM pgattest_system;
REVOKE SELECT ON proofchain.spines FROM pgattest_system;

COMMIT;
