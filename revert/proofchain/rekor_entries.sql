-- Revert pgattest:proofchain/rekor_entries from pg

BEGIN;

DROP TABLE proofchain.rekor_entries;

COMMIT;
