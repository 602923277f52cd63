-- Revert pgattest:vex_api from pg
-- Non-destructive: the deltas and merge traces are parked in _pgattest.vex_api_parked_*
-- (plain copies, no constraints), which the deploy script restores from. To drop them for
-- good, drop those tables after reverting (reverting vex_observations does).

BEGIN;

DROP TABLE IF EXISTS _pgattest.vex_api_parked_delta_changes, _pgattest.vex_api_parked_merge_traces;
CREATE TABLE _pgattest.vex_api_parked_delta_changes AS SELECT * FROM vex.delta_changes;
CREATE TABLE _pgattest.vex_api_parked_merge_traces AS SELECT * FROM vex.merge_traces;
REVOKE ALL ON _pgattest.vex_api_parked_delta_changes, _pgattest.vex_api_parked_merge_traces FROM PUBLIC;

DROP FUNCTION vex.set_issuer_trust(text, integer, numeric);
DROP FUNCTION vex.merge(text, text);
DROP FUNCTION vex.delta_summary(timestamptz, timestamptz);
DROP FUNCTION vex.update_status(uuid, text, text, text, text, text);
-- (bigint) is how this change first defined it, before log_id: a database deployed then reverts too.
DROP FUNCTION IF EXISTS vex.observations_by_rekor(bigint, text);
DROP FUNCTION IF EXISTS vex.observations_by_rekor(bigint);
DROP FUNCTION vex.observations_by_rekor(text);
DROP FUNCTION vex.pending_rekor_links(integer);
DROP FUNCTION vex.link_rekor(uuid, text);
DROP FUNCTION vex.link_rekor(uuid, uuid);
DROP FUNCTION vex.ingest_cyclonedx_vex(text, text);
DROP FUNCTION vex.ingest_csaf_vex(text, text);
DROP FUNCTION vex.ingest_openvex(text, text);
DROP FUNCTION _pgattest.ingest_document(text, text, text);
DROP FUNCTION vex.record_observation(text, text, timestamptz);
DROP FUNCTION _pgattest.store_observations(jsonb, text, text);
DROP FUNCTION vex.verdict_id(text);
REVOKE SELECT, UPDATE ON vex.observations FROM pgattest_system;
REVOKE UPDATE (rekor_linked_at) ON vex.observations FROM pgattest_system;
DROP TABLE vex.merge_traces;
DROP TABLE vex.delta_changes;

COMMIT;
