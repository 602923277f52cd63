-- Revert pgattest:_pgattest/link_proven_observations from pg

BEGIN;

DROP TRIGGER link_proven_observations ON proofchain.rekor_entries;
DROP FUNCTION _pgattest.link_proven_observations();
REVOKE EXECUTE ON FUNCTION _pgattest.link_observations(_pgattest.observation_link[]) FROM pgattest_system;
REVOKE SELECT ON vex.observation_submissions, vexhub.statements, vex.delta_changes FROM pgattest_system;
-- vex.pending_rekor_links's SELECT and UPDATE (rekor_linked_at) on vex.observations stay.
REVOKE UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id) ON vex.observations FROM pgattest_system;
REVOKE UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at)
    ON vexhub.statements FROM pgattest_system;
REVOKE UPDATE (old_rekor_entry_id, new_rekor_entry_id) ON vex.delta_changes FROM pgattest_system;

COMMIT;
