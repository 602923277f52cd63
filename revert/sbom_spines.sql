-- Revert pgattest:sbom_spines from pg

BEGIN;

DROP FUNCTION proofchain.create_spine(uuid, text[], text, text);
DROP TABLE proofchain.spines;
DROP TABLE proofchain.sbom_entries;
DROP FUNCTION _pgattest.spine_root(text[]);

COMMIT;
