-- Deploy pgattest:_pgattest/attest_observation to pg
-- requires: vex/observations vex/observation_submissions proofchain/rekor_entries
-- requires: _pgattest/require_observation_subject vex/link_rekor
-- The common end of a submission (vex.submit_observation, vex.update_status): the
-- attestation (stored and queued by attestor.submit_envelope) must name the observation;
-- it is recorded as submitted for it, and linked at once when the log's entry for it is
-- stored already.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.attest_observation(obs vex.observations, env_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    logged uuid;
BEGIN
    PERFORM _pgattest.require_observation_subject(env_id, obs);
    INSERT INTO vex.observation_submissions (tenant_id, observation_id, envelope_id)
    VALUES (obs.tenant_id, obs.id, env_id)
    ON CONFLICT ON CONSTRAINT observation_submissions_once DO NOTHING;
    SELECT r.id INTO logged FROM proofchain.rekor_entries r
     WHERE r.envelope_id = env_id ORDER BY r.log_index, r.shard_log_index, r.id LIMIT 1;
    IF logged IS NOT NULL THEN
        PERFORM vex.link_rekor(obs.id, logged);
    END IF;
END
$$;

COMMENT ON FUNCTION _pgattest.attest_observation(vex.observations, uuid) IS
    'Records a stored attestation (env_id) as submitted for an observation after checking that it names the observation''s content id as an in-toto sha256 subject (_pgattest.require_observation_subject: 22023 otherwise, with the subject to sign as hint); links the observation at once when the attestation''s entry is stored already.';
REVOKE ALL ON FUNCTION _pgattest.attest_observation(vex.observations, uuid) FROM PUBLIC;

COMMIT;
