-- Revert pgattest:_pgattest/bundle_entry from pg

BEGIN;

DROP FUNCTION _pgattest.bundle_entry(proofchain.rekor_entries, text);

COMMIT;
