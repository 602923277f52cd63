-- Deploy pgattest:_pgattest/link_proven_observations to pg
-- requires: vex/observations vex/observation_submissions proofchain/rekor_entries _pgattest/link_observations _pgattest/observation_link vex/delta_changes vexhub/statements
-- requires: vex/pending_rekor_links
-- Links the observations the new entries' attestations were submitted for, with their hub
-- statements and the deltas they are a side of, through the routine vex.link_rekor uses
-- (_pgattest.link_observations). Runs in the completion's transaction, so a verified
-- entry and its links commit together; an observation linked already keeps its link, and
-- the completion goes on. The submissions were checked when recorded
-- (_pgattest.require_observation_subject, in _pgattest.attest_observation).
--
-- The trigger on proofchain.rekor_entries is created here, after the VEX tables it reads.
-- Entries are stored by the completion, which runs as pgattest_system (across tenants):
-- the trigger links as that role too, with the privileges linking needs (vex.observations
-- SELECT and UPDATE (rekor_linked_at) come with vex/pending_rekor_links, which needs them
-- as well).

BEGIN;

-- No SET ROLE: the function belongs to pgattest_system, which pgattest_owner cannot
-- replace a function of; the deploying superuser creates it (and a rework, or the revert
-- of one, replaces it) and hands it over below.

CREATE OR REPLACE FUNCTION _pgattest.link_proven_observations()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    links _pgattest.observation_link[];
BEGIN
    links := ARRAY(
        WITH proven AS (
            -- Two new entries proving one observation: the lower log index wins.
            SELECT DISTINCT ON (os.tenant_id, os.observation_id) os.tenant_id, os.observation_id, e.id AS rekor_entry_id
              FROM added e
              JOIN vex.observation_submissions os ON os.tenant_id = e.tenant_id AND os.envelope_id = e.envelope_id
             ORDER BY os.tenant_id, os.observation_id, e.log_index, e.shard_log_index, e.id
        ), locked AS MATERIALIZED (
            -- All locked first, in one order by every completion, so two of them never deadlock.
            SELECT p.tenant_id, p.observation_id, p.rekor_entry_id
              FROM vex.observations o
              JOIN proven p ON o.tenant_id = p.tenant_id AND o.id = p.observation_id
             WHERE o.rekor_entry_id IS NULL
             ORDER BY o.tenant_id, o.id
               FOR UPDATE OF o
        )
        SELECT ROW(l.tenant_id, l.observation_id, l.rekor_entry_id)::_pgattest.observation_link
          FROM locked l ORDER BY l.tenant_id, l.observation_id);
    IF cardinality(links) > 0 THEN  -- most batches prove no observation
        PERFORM _pgattest.link_observations(links);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION _pgattest.link_proven_observations() IS
    'AFTER INSERT (statement) trigger of proofchain.rekor_entries: links the unlinked VEX observations the new entries'' attestations were submitted for (vex.observation_submissions), with their hub statements and the deltas they are the old or new side of (_pgattest.link_observations). Observations linked already keep their link.';
REVOKE ALL ON FUNCTION _pgattest.link_proven_observations() FROM PUBLIC;

RESET ROLE;

CREATE TRIGGER link_proven_observations AFTER INSERT ON proofchain.rekor_entries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.link_proven_observations();

ALTER FUNCTION _pgattest.link_proven_observations() OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION _pgattest.link_observations(_pgattest.observation_link[]) TO pgattest_system;
GRANT SELECT ON vex.observation_submissions, vexhub.statements, vex.delta_changes TO pgattest_system;
GRANT UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at)
    ON vex.observations, vexhub.statements TO pgattest_system;
GRANT UPDATE (old_rekor_entry_id, new_rekor_entry_id) ON vex.delta_changes TO pgattest_system;

COMMIT;
