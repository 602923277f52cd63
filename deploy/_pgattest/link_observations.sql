-- Deploy pgattest:_pgattest/link_observations to pg
-- requires: _pgattest/observation_link vex/observations vexhub/statements vex/delta_changes proofchain/rekor_entries
-- The one routine that links observations to the Rekor entries proving them, with their
-- hub statements and the deltas they are the old or new side of: vex.link_rekor (one
-- link) and the completion's trigger _pgattest.link_proven_observations (all the links a
-- batch proves, in one call) both use it. Set-based: three UPDATEs whatever the number of
-- links (none when the array is empty: the trigger calls it for every batch). Callers check that each entry proves its observation
-- (_pgattest.require_observation_subject) and lock the observations first, in one order.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.link_observations(links _pgattest.observation_link[])
RETURNS SETOF uuid
-- plpgsql, not sql: its statement is planned once per session and kept (a non-inlined SQL
-- function is parsed and planned at every call, and this one runs in every completion).
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF coalesce(cardinality(links), 0) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH wanted AS (
        -- One entry per observation: the first given wins. Both keys lead with the tenant.
        SELECT DISTINCT ON (l.tenant_id, l.observation_id)
               l.tenant_id, l.observation_id, e.id, e.uuid, e.log_index, e.integrated_time
          FROM unnest(links) WITH ORDINALITY AS l(tenant_id, observation_id, rekor_entry_id, n)
          JOIN proofchain.rekor_entries e ON e.tenant_id = l.tenant_id AND e.id = l.rekor_entry_id
         ORDER BY l.tenant_id, l.observation_id, l.n
    ), observation AS (
        -- Rechecked on the row as locked: a link made meanwhile (another completion,
        -- vex.link_rekor) stays, and nothing else of that observation is touched.
        UPDATE vex.observations o
           SET rekor_uuid = w.uuid, rekor_log_index = w.log_index, rekor_integrated_time = w.integrated_time,
               rekor_entry_id = w.id, rekor_linked_at = now()
          FROM wanted w
         WHERE o.tenant_id = w.tenant_id AND o.id = w.observation_id AND o.rekor_entry_id IS NULL
        RETURNING o.tenant_id, o.id, o.rekor_uuid, o.rekor_log_index, o.rekor_integrated_time, o.rekor_entry_id,
                  o.rekor_linked_at
    ), statement AS (
        UPDATE vexhub.statements s
           SET rekor_uuid = o.rekor_uuid, rekor_log_index = o.rekor_log_index,
               rekor_integrated_time = o.rekor_integrated_time, rekor_entry_id = o.rekor_entry_id,
               rekor_linked_at = o.rekor_linked_at
          FROM observation o
         WHERE s.tenant_id = o.tenant_id AND s.observation_id = o.id AND s.rekor_entry_id IS NULL
    ), delta AS (
        -- One UPDATE per delta row sets both sides: a delta whose old and new observations
        -- are linked by one call keeps both (two UPDATEs of one row in one statement would
        -- keep only one of them).
        UPDATE vex.delta_changes d
           SET old_rekor_entry_id = coalesce((SELECT o.rekor_entry_id FROM observation o
                                               WHERE o.tenant_id = d.tenant_id AND o.id = d.old_observation_id),
                                             d.old_rekor_entry_id),
               new_rekor_entry_id = coalesce((SELECT o.rekor_entry_id FROM observation o
                                               WHERE o.tenant_id = d.tenant_id AND o.id = d.new_observation_id),
                                             d.new_rekor_entry_id)
         WHERE (d.tenant_id, d.id) IN (SELECT x.tenant_id, x.id FROM vex.delta_changes x
                                         JOIN observation o ON x.tenant_id = o.tenant_id AND x.old_observation_id = o.id
                                       UNION
                                       SELECT x.tenant_id, x.id FROM vex.delta_changes x
                                         JOIN observation o ON x.tenant_id = o.tenant_id AND x.new_observation_id = o.id)
    )
    SELECT o.id FROM observation o;
END
$$;

COMMENT ON FUNCTION _pgattest.link_observations(_pgattest.observation_link[]) IS
    'Links each observation (vex.observations.id) to its Rekor entry (proofchain.rekor_entries.id, of the same tenant): the observation, its hub statements and the deltas it is the old or new side of; returns the observations it linked. An observation linked already keeps its link and is not returned. The caller checks that each entry proves its observation (_pgattest.require_observation_subject) and locks the observations.';
REVOKE ALL ON FUNCTION _pgattest.link_observations(_pgattest.observation_link[]) FROM PUBLIC;

COMMIT;
