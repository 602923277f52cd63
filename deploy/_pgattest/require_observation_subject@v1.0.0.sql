-- Deploy pgattest:_pgattest/require_observation_subject to pg
-- requires: vex/observations proofchain/envelope_subjects
-- The one rule that makes an attestation proof of an observation: its in-toto statement
-- names the observation's content id (sha256 of the normalized statement) as a subject.
-- Checked when an attestation is submitted for an observation (_pgattest.attest_observation)
-- and when an entry is linked by hand (vex.link_rekor); the completion's trigger links only
-- the submissions recorded after this check (vex.observation_submissions).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.require_observation_subject(envelope_id uuid, observation vex.observations)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM proofchain.envelope_subjects s
                    WHERE s.tenant_id = observation.tenant_id
                      AND s.envelope_id = require_observation_subject.envelope_id AND s.digest_algorithm = 'sha256'
                      AND s.digest = substr(observation.content_id, 8)) THEN
        RAISE EXCEPTION 'attestation % does not name observation % (%) as a subject', envelope_id, observation.id,
                        observation.content_id
            USING ERRCODE = '22023',
                  HINT = format('Sign an in-toto statement with the subject {"name": "%s", "digest": {"sha256": "%s"}}.',
                                observation.content_id, substr(observation.content_id, 8));
    END IF;
END
$$;

COMMENT ON FUNCTION _pgattest.require_observation_subject(uuid, vex.observations) IS
    'Raises 22023 (with the subject to sign as hint) unless the attestation envelope_id (proofchain.dsse_envelopes.id) names the observation''s content id as an in-toto sha256 subject: the one check that an attestation, and the Rekor entry logging it, proves an observation.';
REVOKE ALL ON FUNCTION _pgattest.require_observation_subject(uuid, vex.observations) FROM PUBLIC;

COMMIT;
