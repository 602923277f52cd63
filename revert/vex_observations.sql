-- Revert pgattest:vex_observations from pg

BEGIN;

-- Links parked by a revert of vex_rekor_linkage have nothing to return to.
DROP TABLE IF EXISTS _pgattest.vex_rekor_linkage_parked;

DROP TABLE vexhub.statements;
DROP TABLE vexhub.documents;
DROP TABLE vex.issuers;
DROP TABLE vex.observations;
DROP FUNCTION _pgattest.observations_immutable();
DROP TABLE vex.format_mappings;
DROP FUNCTION _pgattest.vex_mappings();
DROP FUNCTION _pgattest.vex_normalize_statement(text, text);
DROP FUNCTION _pgattest.vex_parse(text, text);

COMMIT;
