-- Revert pgattest:vex_observations from pg

BEGIN;

-- Destructive: the observations go, and with them what was parked for them. Links
-- parked by a revert of vex_rekor_linkage have nothing to return to.
DROP TABLE IF EXISTS _pgattest.vex_rekor_linkage_parked;
-- Nor do the deltas and merge traces parked by a revert of vex_api, nor the submissions
-- parked by a revert of vex_submissions.
DROP TABLE IF EXISTS _pgattest.vex_api_parked_delta_changes, _pgattest.vex_api_parked_merge_traces,
                     _pgattest.vex_submissions_parked;

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
