-- Deploy pgattest:_pgattest/require_observation_subject to pg
-- requires: vex/observations proofchain/envelope_subjects proofchain/dsse_envelopes proofchain/trust_anchors
-- The one rule that makes an attestation proof of an observation: it is an OpenVEX
-- attestation (its in-toto predicateType is OpenVEX's) signed by a trust anchor allowed
-- for that predicate type, and its statement names the observation's content id (sha256
-- of the normalized statement) as a subject. Checked when an attestation is submitted
-- for an observation (_pgattest.attest_observation) and when an entry is linked by hand
-- (vex.link_rekor); the completion's trigger links only the submissions recorded after
-- this check (vex.observation_submissions).
--
-- Issue 15 item 6: the predicate type is part of the rule. attestor.submit_envelope
-- accepts any predicate type an anchor of the tenant allows, so without it a key trusted
-- only for SLSA provenance could sign a provenance statement naming another provider's
-- observation and make it "verified" (ranked above unverified ones by vex.merge).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.require_observation_subject(envelope_id uuid, observation vex.observations)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    predicate text;
    allowed boolean;
BEGIN
    -- The anchor that verified the envelope at submission; its allow-list is read again
    -- (NULL allows every predicate type), so the rule does not rest on that check alone.
    SELECT e.predicate_type, a.allowed_predicate_types IS NULL OR e.predicate_type = ANY (a.allowed_predicate_types)
      INTO predicate, allowed
      FROM proofchain.dsse_envelopes e
      JOIN proofchain.trust_anchors a ON a.tenant_id = e.tenant_id AND a.id = e.trust_anchor_id
     WHERE e.tenant_id = observation.tenant_id AND e.id = require_observation_subject.envelope_id;
    IF predicate IS NULL OR predicate !~ '^https://openvex\.dev/ns(/|$)' OR NOT allowed THEN
        RAISE EXCEPTION 'attestation % is not an OpenVEX attestation signed by a key trusted for OpenVEX (predicateType %)',
                        envelope_id, coalesce(quote_literal(left(predicate, 80)), 'none')
            USING ERRCODE = '22023',
                  HINT = 'Only a trust anchor allowed for an OpenVEX predicate type (https://openvex.dev/ns/v0.2.0) vouches for a VEX observation: sign an in-toto statement of that predicate type with such a key.';
    END IF;
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
    'Raises 22023 unless the attestation envelope_id (proofchain.dsse_envelopes.id) is an OpenVEX attestation (in-toto predicateType https://openvex.dev/ns...) signed by a trust anchor allowed for that predicate type, and names the observation''s content id as an in-toto sha256 subject (with the subject to sign as hint): the one check that an attestation, and the Rekor entry logging it, proves an observation.';
REVOKE ALL ON FUNCTION _pgattest.require_observation_subject(uuid, vex.observations) FROM PUBLIC;

COMMIT;
