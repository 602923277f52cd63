-- Deploy pgattest:vex/observation_submissions to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: vex/observations proofchain/dsse_envelopes
-- Which observation an attestation was submitted for. The content id names a statement,
-- not who made it (two providers may make the same one): only the observation submitted
-- is linked when the log's entry for the attestation is stored.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vex.observation_submissions (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      text        NOT NULL REFERENCES core.tenants,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    observation_id uuid        NOT NULL,
    envelope_id    uuid        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT observation_submissions_once UNIQUE (tenant_id, observation_id, envelope_id),
    FOREIGN KEY (tenant_id, observation_id) REFERENCES vex.observations (tenant_id, id),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('vex.observation_submissions');
-- How a stored entry finds the observations it was submitted for.
CREATE INDEX observation_submissions_envelope ON vex.observation_submissions (tenant_id, envelope_id);

COMMENT ON TABLE vex.observation_submissions IS
    'Which observation each attestation was submitted for (vex.submit_observation, vex.update_status): the attestation (a proofchain.dsse_envelopes row, queued for the log) names the observation''s content id as an in-toto subject; when the log''s entry for it is stored, the observation is linked to it. Written through the vex functions.';
COMMENT ON COLUMN vex.observation_submissions.observation_id IS 'The observation (vex.observations.id) the attestation was submitted for.';
COMMENT ON COLUMN vex.observation_submissions.envelope_id IS 'The attestation (proofchain.dsse_envelopes.id); its queue row is in attestor.rekor_submission_queue, its entry, once stored, in proofchain.rekor_entries.';

GRANT SELECT ON vex.observation_submissions TO pgattest_app, pgattest_admin;

COMMIT;
