-- Revert pgattest:proofchain/sbom_entries from pg

BEGIN;

DROP TABLE proofchain.sbom_entries;

COMMIT;
