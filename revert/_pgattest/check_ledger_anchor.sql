-- Revert pgattest:_pgattest/check_ledger_anchor from pg

BEGIN;

SET LOCAL ROLE pgattest_owner;

DROP TRIGGER check_ledger_anchor ON proofchain.dsse_envelopes;
DROP FUNCTION _pgattest.check_ledger_anchor();

COMMIT;
