-- Revert pgattest:_pgattest/watch_new_entries from pg

BEGIN;

DROP TRIGGER watch_new_entries ON proofchain.rekor_entries;
DROP FUNCTION _pgattest.watch_new_entries();

COMMIT;
