-- Deploy pgattest:vex_submissions to pg
-- requires: vex_api
-- requires: complete_submissions
-- A VEX observation goes to the transparency log as a signed attestation naming it, and
-- is linked to its Rekor entry as soon as that entry is stored: a status change is one
-- call that records the new observation, its delta and its submission to the log.
--
-- The database holds no signing key (the issuer's key is not the database's): the caller
-- signs. What the database checks is the rule vex.link_rekor enforces: an entry proves an
-- observation when its attestation names the observation id (sha256 of the canonical
-- statement) as an in-toto subject. Which observation an attestation was submitted for is
-- recorded (the content id names a statement, not who made it: two providers may make the
-- same one), and only that observation is linked when the entry is stored.

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
    'Which observation each attestation was submitted for (vex.submit_observation, vex.update_status): the attestation (a proofchain.dsse_envelopes row, queued for the log) names the observation id as an in-toto subject; when the log''s entry for it is stored, the observation is linked to it. Written through the vex functions.';
COMMENT ON COLUMN vex.observation_submissions.observation_id IS 'The observation (vex.observations.id) the attestation was submitted for.';
COMMENT ON COLUMN vex.observation_submissions.envelope_id IS 'The attestation (proofchain.dsse_envelopes.id); its queue row is in attestor.rekor_submission_queue, its entry, once stored, in proofchain.rekor_entries.';
GRANT SELECT ON vex.observation_submissions TO pgattest_app, pgattest_admin;

-- Links the observations the new entries' attestations were submitted for, with their hub
-- statements and the deltas they are a side of. Runs in the completion's transaction, so
-- a verified entry and its links commit together; an observation linked already keeps its
-- link, and the completion goes on.
CREATE FUNCTION _pgattest.link_proven_observations()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH proven AS (
        -- Two new entries proving one observation: the lower log index wins.
        SELECT DISTINCT ON (os.tenant_id, os.observation_id) os.tenant_id, os.observation_id AS observation,
               e.id AS entry, e.uuid, e.log_index, e.integrated_time
          FROM added e
          JOIN vex.observation_submissions os ON os.tenant_id = e.tenant_id AND os.envelope_id = e.envelope_id
         ORDER BY os.tenant_id, os.observation_id, e.log_index, e.shard_log_index, e.id
    ), locked AS MATERIALIZED (
        -- Locked in one order by every completion, so two of them never deadlock.
        SELECT o.tenant_id, o.id
          FROM vex.observations o
          JOIN proven p ON o.tenant_id = p.tenant_id AND o.id = p.observation
         ORDER BY o.tenant_id, o.id
           FOR UPDATE OF o
    ), linked AS (
        UPDATE vex.observations o
           SET rekor_uuid = p.uuid, rekor_log_index = p.log_index, rekor_integrated_time = p.integrated_time,
               rekor_entry_id = p.entry, rekor_linked_at = now()
          FROM proven p, locked l
         -- Rechecked on the row as locked: a link made meanwhile (another completion,
         -- vex.link_rekor) stays.
         WHERE l.tenant_id = p.tenant_id AND l.id = p.observation
           AND o.tenant_id = p.tenant_id AND o.id = p.observation AND o.rekor_entry_id IS NULL
        RETURNING o.tenant_id, o.id, o.rekor_uuid, o.rekor_log_index, o.rekor_integrated_time, o.rekor_entry_id,
                  o.rekor_linked_at
    ), statements AS (
        UPDATE vexhub.statements st
           SET rekor_uuid = l.rekor_uuid, rekor_log_index = l.rekor_log_index,
               rekor_integrated_time = l.rekor_integrated_time, rekor_entry_id = l.rekor_entry_id,
               rekor_linked_at = l.rekor_linked_at
          FROM linked l
         WHERE st.tenant_id = l.tenant_id AND st.observation_id = l.id AND st.rekor_entry_id IS NULL
    )
    -- One update per delta: its old and its new side may be linked by the same entries.
    UPDATE vex.delta_changes d
       SET old_rekor_entry_id = coalesce(old_side.rekor_entry_id, d.old_rekor_entry_id),
           new_rekor_entry_id = coalesce(new_side.rekor_entry_id, d.new_rekor_entry_id)
      FROM vex.delta_changes x
      LEFT JOIN linked old_side ON old_side.tenant_id = x.tenant_id AND old_side.id = x.old_observation_id
      LEFT JOIN linked new_side ON new_side.tenant_id = x.tenant_id AND new_side.id = x.new_observation_id
     WHERE d.tenant_id = x.tenant_id AND d.id = x.id
       AND (old_side.id IS NOT NULL OR new_side.id IS NOT NULL);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION _pgattest.link_proven_observations() IS
    'AFTER INSERT (statement) trigger of proofchain.rekor_entries: links the unlinked VEX observations the new entries'' attestations were submitted for (vex.observation_submissions), with their hub statements and the deltas they are the old or new side of. Observations linked already keep their link.';

-- The common end of a submission: the attestation (stored and queued by
-- attestor.submit_envelope) must name the observation; it is recorded as submitted for
-- it, and linked at once when the log's entry for it is stored already.
CREATE FUNCTION _pgattest.attest_observation(obs vex.observations, env_id uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    logged uuid;
BEGIN
    IF NOT EXISTS (SELECT FROM proofchain.envelope_subjects s
                    WHERE s.envelope_id = env_id AND s.digest_algorithm = 'sha256'
                      AND s.digest = substr(obs.observation_id, 8)) THEN
        RAISE EXCEPTION 'the attestation does not name observation % (%) as a subject', obs.id, obs.observation_id
            USING ERRCODE = '22023',
                  HINT = format('Sign an in-toto statement with the subject {"name": "%s", "digest": {"sha256": "%s"}}.',
                                obs.observation_id, substr(obs.observation_id, 8));
    END IF;
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
    'Records a stored attestation (env_id) as submitted for an observation after checking that it names the observation id as an in-toto sha256 subject (22023 otherwise, with the subject to sign as hint); links the observation at once when the attestation''s entry is stored already.';

CREATE FUNCTION vex.submit_observation(observation_id uuid, attestation jsonb, log_id text DEFAULT NULL)
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
            HINT = 'Pass a DSSE envelope of an in-toto statement naming the observation id as a subject.';
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
    'Submits the attestation of a VEX observation to the transparency log (log_id, or the default log): a DSSE envelope of an in-toto statement naming the observation id (sha256 of its statement_text) as a subject, signed by a trust anchor of the tenant. It is stored and queued as attestor.submit_envelope does and recorded in vex.observation_submissions; the observation (its hub statements and deltas) is linked to the Rekor entry when a worker stores it, in the same transaction (at once when the attestation is logged already). Idempotent, also once linked by this attestation; returns the envelope id. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies the signature, 22023 for an unknown observation, an attestation that does not name it, a malformed envelope or an unusable log, 23PA2 when another entry proves the observation already, 22004 for a NULL observation_id or attestation.';

CREATE FUNCTION vex.update_status(observation_id uuid, attestation jsonb, reason_code text, log_id text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old vex.observations;
    env_id uuid;
    statement jsonb;
    parsed jsonb;
    new_obs jsonb;
    created vex.observations;
BEGIN
    PERFORM core.require_tenant();
    IF observation_id IS NULL THEN
        RAISE EXCEPTION 'observation_id is NULL' USING ERRCODE = '22004',
            HINT = 'Pass the id of the provider''s current observation (vex.observations.id).';
    ELSIF attestation IS NULL THEN
        RAISE EXCEPTION 'attestation is NULL for observation %', observation_id USING ERRCODE = '22004',
            HINT = 'Pass the signed attestation of the new statement (see vex.update_status''s comment).';
    END IF;
    IF reason_code IS NULL OR reason_code !~ '^[a-z][a-z0-9_]{1,63}$' THEN
        RAISE EXCEPTION 'invalid reason_code %', coalesce(quote_literal(reason_code), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use a snake_case code, e.g. fix_released or analysis_complete.';
    END IF;
    -- Stored and queued first (signature, trust anchor, statement shape checked), the old
    -- observation locked after, in the order a completion takes them (queue, observation).
    env_id := attestor.submit_envelope(attestation, log_id);
    SELECT * INTO old FROM vex.observations o WHERE o.id = update_status.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation %', observation_id
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    IF EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = old.id) THEN
        RAISE EXCEPTION 'observation % is superseded', old.id
            USING ERRCODE = '55000', HINT = 'Update the provider''s current observation of this vulnerability and product.';
    END IF;

    SELECT e.statement INTO statement FROM proofchain.dsse_envelopes e WHERE e.id = env_id;
    IF coalesce(statement ->> 'predicateType', '') !~ '^https://openvex\.dev/ns(/|$)'
       OR jsonb_typeof(statement -> 'predicate') IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'the attestation''s predicate is not an OpenVEX statement (predicateType %)',
                        coalesce(quote_literal(statement ->> 'predicateType'), 'none: the payload is no in-toto statement')
            USING ERRCODE = '22023',
                  HINT = 'Sign an in-toto statement with predicateType https://openvex.dev/ns/v0.2.0 whose predicate is the new OpenVEX statement.';
    END IF;
    -- The predicate is parsed as any OpenVEX statement (it must carry its own timestamp).
    parsed := _pgattest.vex_normalize_statement((statement -> 'predicate')::text, NULL);
    new_obs := parsed -> 0;
    IF jsonb_array_length(parsed) <> 1 OR new_obs ->> 'vulnerability_id' <> old.vulnerability_id
       OR new_obs ->> 'product_key' <> old.product_key THEN
        RAISE EXCEPTION 'the new statement is about % for % (% products), not % for % alone',
                        new_obs ->> 'vulnerability_id', new_obs ->> 'product_key', jsonb_array_length(parsed),
                        old.vulnerability_id, old.product_key
            USING ERRCODE = '22023', HINT = 'A status change restates the same vulnerability for the same single product.';
    END IF;
    IF new_obs ->> 'status' = old.status THEN
        RAISE EXCEPTION 'observation % already has status %', old.id, old.status
            USING ERRCODE = '22023', HINT = 'A status change needs a different status.';
    END IF;
    IF (new_obs ->> 'timestamp')::timestamptz <= old.statement_timestamp THEN
        RAISE EXCEPTION 'the new statement''s timestamp % is not later than %', new_obs ->> 'timestamp',
                        to_char(old.statement_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            USING ERRCODE = '22023', HINT = 'Timestamp the new statement after the one it supersedes.';
    END IF;

    SELECT s.id INTO created.id FROM _pgattest.store_observations(parsed, old.provider, update_status.reason_code) AS s;
    -- (Read in a statement of its own: the one that stored it does not see its row.)
    SELECT * INTO created FROM vex.observations o WHERE o.id = created.id;
    PERFORM _pgattest.attest_observation(created, env_id);
    RETURN created.id;
END
$$;
COMMENT ON FUNCTION vex.update_status(uuid, jsonb, text, text) IS
    'Changes the status of a provider''s current observation with a signed statement, in one transaction: the attestation (a DSSE envelope of an in-toto statement with predicateType https://openvex.dev/ns/v0.2.0, whose predicate is the new single-product OpenVEX statement, timestamped after the old one, and whose subject names the new observation id, sha256 of the normalized statement) is verified against the tenant''s trust anchors and queued for the transparency log (log_id, or the default log); the new observation supersedes the old one; a vex.delta_changes row records old and new status and reason_code. When the worker stores the entry, the new observation and the delta''s new side are linked to it (at once when the attestation is logged already). Returns the new observation''s id. Pass the attestation as jsonb (untyped text calls the other form). For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies the attestation, 22023 for an unknown observation, a bad or NULL reason_code, a predicate that is not an OpenVEX statement about the same vulnerability and single product, an unchanged status, a timestamp not later than the old one, a subject that does not name the new observation, a malformed envelope or an unusable log, 55000 when the observation is superseded, 22004 for a NULL observation_id or attestation.';

RESET ROLE;

CREATE TRIGGER link_proven_observations AFTER INSERT ON proofchain.rekor_entries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.link_proven_observations();

-- Entries are stored by the completion, which runs as pgattest_system (across tenants);
-- the trigger links as that role too, with the privileges linking needs.
ALTER FUNCTION _pgattest.link_proven_observations() OWNER TO pgattest_system;
GRANT SELECT ON vex.observation_submissions, vexhub.statements, vex.delta_changes TO pgattest_system;
GRANT UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at)
    ON vex.observations, vexhub.statements TO pgattest_system;
GRANT UPDATE (old_rekor_entry_id, new_rekor_entry_id) ON vex.delta_changes TO pgattest_system;

REVOKE ALL ON FUNCTION _pgattest.link_proven_observations(), _pgattest.attest_observation(vex.observations, uuid),
    vex.submit_observation(uuid, jsonb, text), vex.update_status(uuid, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.submit_observation(uuid, jsonb, text), vex.update_status(uuid, jsonb, text, text)
    TO pgattest_app;

-- Submissions parked by a revert of this change come back, as they were (those whose
-- observation or attestation is gone have nothing to return to; reverting vex_observations
-- drops what was parked).
DO $restore$
BEGIN
    IF to_regclass('_pgattest.vex_submissions_parked') IS NOT NULL THEN
        INSERT INTO vex.observation_submissions
        SELECT p.* FROM _pgattest.vex_submissions_parked p
         WHERE EXISTS (SELECT FROM vex.observations o WHERE o.tenant_id = p.tenant_id AND o.id = p.observation_id)
           AND EXISTS (SELECT FROM proofchain.dsse_envelopes e WHERE e.tenant_id = p.tenant_id AND e.id = p.envelope_id);
        DROP TABLE _pgattest.vex_submissions_parked;
    END IF;
END
$restore$;

COMMIT;
