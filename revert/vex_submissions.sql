-- Revert pgattest:vex_submissions from pg
-- Non-destructive: links it made stay on the observations, attestations and their queue
-- rows stay in the store, and vex.observation_submissions is parked in
-- _pgattest.vex_submissions_parked (a plain copy), which the deploy script restores from.

BEGIN;

DROP TABLE IF EXISTS _pgattest.vex_submissions_parked;
CREATE TABLE _pgattest.vex_submissions_parked AS SELECT * FROM vex.observation_submissions;
REVOKE ALL ON _pgattest.vex_submissions_parked FROM PUBLIC;

DROP TRIGGER link_proven_observations ON proofchain.rekor_entries;
DROP FUNCTION _pgattest.link_proven_observations();
DROP FUNCTION vex.update_status(uuid, jsonb, text, text);
DROP FUNCTION vex.submit_observation(uuid, jsonb, text);
DROP FUNCTION _pgattest.attest_observation(vex.observations, uuid);
DROP TABLE vex.observation_submissions;
REVOKE SELECT ON vexhub.statements, vex.delta_changes FROM pgattest_system;
-- vex_api's UPDATE (rekor_linked_at) on vex.observations stays.
REVOKE UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id) ON vex.observations FROM pgattest_system;
REVOKE UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at)
    ON vexhub.statements FROM pgattest_system;
REVOKE UPDATE (old_rekor_entry_id, new_rekor_entry_id) ON vex.delta_changes FROM pgattest_system;

COMMIT;
