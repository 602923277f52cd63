-- Revert pgattest:_pgattest/record_ledger_anchors from pg

BEGIN;

DROP TRIGGER record_ledger_anchors ON proofchain.rekor_entries;
DROP FUNCTION _pgattest.record_ledger_anchors();

COMMIT;
