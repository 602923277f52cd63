-- Revert pgattest:vex_api from pg

BEGIN;

DROP FUNCTION vex.set_issuer_trust(text, integer, numeric);
DROP FUNCTION vex.merge(text, text);
DROP FUNCTION vex.delta_summary(timestamptz, timestamptz);
DROP FUNCTION vex.update_status(uuid, text, text, text, text, text);
DROP FUNCTION vex.observations_by_rekor(bigint);
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
DROP TABLE vex.merge_traces;
DROP TABLE vex.delta_changes;

COMMIT;
