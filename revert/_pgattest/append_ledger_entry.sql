-- Revert pgattest:_pgattest/append_ledger_entry from pg

BEGIN;

DROP FUNCTION _pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[]);

COMMIT;
