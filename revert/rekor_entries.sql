-- Revert pgattest:rekor_entries from pg

BEGIN;

DROP FUNCTION proofchain.verify_stored_entry(uuid);
DROP FUNCTION _pgattest.bundle_entry(proofchain.rekor_entries, text);
DROP TABLE proofchain.rekor_entries;

COMMIT;
