-- Deploy pgattest:vex/submit_observation to pg
-- requires: core/require_tenant vex/observations proofchain/rekor_entries attestor/submit_envelope
-- requires: _pgattest/attest_observation
-- A VEX observation goes to the transparency log as a signed attestation naming it, and
-- is linked to its Rekor entry as soon as that entry is stored. The database holds no
-- signing key (the issuer's key is not the database's): the caller signs.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.submit_observation(observation_id uuid, attestation jsonb, log_id text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    obs vex.observations;
    env_id uuid;
BEGIN
    IF observation_id IS NULL THEN
        RAISE EXCEPTION 'observation_id is NULL' USING ERRCODE = '22004',
            HINT = 'Pass the id of the observation (vex.observations.id) the attestation names.';
    ELSIF attestation IS NULL THEN
        RAISE EXCEPTION 'attestation is NULL for observation %', observation_id USING ERRCODE = '22004',
            HINT = 'Pass a DSSE envelope of an in-toto statement naming the observation''s content_id as a subject.';
    END IF;
    -- Stored and queued first (signature, trust anchor, statement shape checked), the
    -- observation locked after: a completion of this envelope that links it holds the
    -- queue row, then takes the observation, in the same order.
    env_id := attestor.submit_envelope(attestation, log_id);
    SELECT * INTO obs FROM vex.observations o WHERE o.id = submit_observation.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation % for tenant %', observation_id, tenant
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    IF obs.rekor_entry_id IS NOT NULL THEN
        -- A retry of a submission that succeeded is answered as the first time.
        IF EXISTS (SELECT FROM proofchain.rekor_entries r WHERE r.id = obs.rekor_entry_id AND r.envelope_id = env_id) THEN
            RETURN env_id;
        END IF;
        RAISE EXCEPTION 'observation % is already proven by Rekor entry %', obs.id, obs.rekor_entry_id
            USING ERRCODE = '23PA2', HINT = 'A Rekor link is set once; a new statement is a new observation.';
    END IF;
    PERFORM _pgattest.attest_observation(obs, env_id);
    RETURN env_id;
END
$$;

COMMENT ON FUNCTION vex.submit_observation(uuid, jsonb, text) IS
    'Submits the attestation of a VEX observation (observation_id, vex.observations.id) to the transparency log (log_id, or the default log): a DSSE envelope of an in-toto statement naming the observation''s content_id (sha256 of its statement_text) as a subject, signed by a trust anchor of the tenant. It is stored and queued as attestor.submit_envelope does and recorded in vex.observation_submissions; the observation (its hub statements and deltas) is linked to the Rekor entry when a worker stores it, in the same transaction (at once when the attestation is logged already). Idempotent, also once linked by this attestation; returns the envelope id. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies the signature, 22023 for an unknown observation, an attestation that does not name it, a malformed envelope or an unusable log, 23PA2 when another entry proves the observation already, 22004 for a NULL observation_id or attestation.';
REVOKE ALL ON FUNCTION vex.submit_observation(uuid, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.submit_observation(uuid, jsonb, text) TO pgattest_app;

COMMIT;
