-- Deploy pgattest:vex_submissions to pg
-- requires: vex_api
-- requires: complete_submissions
-- A VEX observation goes to the transparency log as a signed attestation naming it, and
-- is linked to its Rekor entry as soon as that entry is stored: a status change is one
-- call that records the new observation, its delta and its submission to the log.
--
-- The database holds no signing key (the issuer's key is not the database's): the caller
-- signs. What the database checks is the one rule vex.link_rekor already enforces: an
-- entry proves an observation when its attestation names the observation id (sha256 of
-- the canonical statement) as an in-toto subject.

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- Unlinked observations by content id: how a stored entry finds what it proves.
CREATE INDEX observations_unlinked_content ON vex.observations (tenant_id, observation_id)
    WHERE rekor_entry_id IS NULL;

-- Links every still unlinked observation (with its hub statements and deltas) whose
-- content id an attestation of the new entries names as an in-toto subject. Runs in the
-- completion's transaction, so a verified entry and the links it makes commit together;
-- an observation linked already keeps its link (the completion never fails for it).
CREATE FUNCTION _pgattest.link_proven_observations()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH proven AS (
        -- Two new entries of one batch proving one observation: the first stored wins.
        SELECT DISTINCT ON (o.tenant_id, o.id) o.tenant_id, o.id AS observation, e.id AS entry, e.uuid, e.log_index,
               e.integrated_time
          FROM added e
          JOIN proofchain.envelope_subjects s
            ON s.tenant_id = e.tenant_id AND s.envelope_id = e.envelope_id AND s.digest_algorithm = 'sha256'
          JOIN vex.observations o
            ON o.tenant_id = e.tenant_id AND o.observation_id = 'sha256:' || s.digest AND o.rekor_entry_id IS NULL
         ORDER BY o.tenant_id, o.id, e.created_at, e.id
    ), observations AS (
        UPDATE vex.observations o
           SET rekor_uuid = p.uuid, rekor_log_index = p.log_index, rekor_integrated_time = p.integrated_time,
               rekor_entry_id = p.entry, rekor_linked_at = now()
          FROM proven p
         -- Rechecked on the row as it is when its lock is granted: a link made meanwhile
         -- (another completion, vex.link_rekor) stays, and this entry skips it.
         WHERE o.tenant_id = p.tenant_id AND o.id = p.observation AND o.rekor_entry_id IS NULL
        RETURNING o.tenant_id, o.id, o.rekor_entry_id
    ), statements AS (
        UPDATE vexhub.statements st
           SET rekor_uuid = p.uuid, rekor_log_index = p.log_index, rekor_integrated_time = p.integrated_time,
               rekor_entry_id = p.entry, rekor_linked_at = now()
          FROM proven p
         WHERE st.tenant_id = p.tenant_id AND st.observation_id = p.observation AND st.rekor_entry_id IS NULL
    ), new_side AS (
        UPDATE vex.delta_changes d SET new_rekor_entry_id = l.rekor_entry_id
          FROM observations l
         WHERE d.tenant_id = l.tenant_id AND d.new_observation_id = l.id
    )
    UPDATE vex.delta_changes d SET old_rekor_entry_id = l.rekor_entry_id
      FROM observations l
     WHERE d.tenant_id = l.tenant_id AND d.old_observation_id = l.id;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION _pgattest.link_proven_observations() IS
    'AFTER INSERT (statement) trigger of proofchain.rekor_entries: links every unlinked VEX observation of the entry''s tenant whose content id the entry''s attestation names as an in-toto sha256 subject (the rule of vex.link_rekor), with its hub statements and the deltas it is the old or new side of. Observations linked already keep their link.';

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
    logged uuid;
BEGIN
    IF observation_id IS NULL OR attestation IS NULL THEN
        RAISE EXCEPTION 'observation_id and attestation are required' USING ERRCODE = '22004',
            HINT = 'Pass the observation''s id and a DSSE envelope of an in-toto statement naming it.';
    END IF;
    SELECT * INTO obs FROM vex.observations o WHERE o.id = submit_observation.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation % for tenant %', observation_id, tenant
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    IF obs.rekor_entry_id IS NOT NULL THEN
        RAISE EXCEPTION 'observation % is already proven by Rekor entry %', obs.id, obs.rekor_entry_id
            USING ERRCODE = '23PA2', HINT = 'A Rekor link is set once; a new statement is a new observation.';
    END IF;
    -- Verifies the signature against the tenant's trust anchors, stores and queues it.
    env_id := attestor.submit_envelope(attestation, log_id);
    IF NOT EXISTS (SELECT FROM proofchain.envelope_subjects s
                    WHERE s.envelope_id = env_id AND s.digest_algorithm = 'sha256'
                      AND s.digest = substr(obs.observation_id, 8)) THEN
        RAISE EXCEPTION 'the attestation does not name observation % (%) as a subject', obs.id, obs.observation_id
            USING ERRCODE = '22023',
                  HINT = format('Sign an in-toto statement with the subject {"name": "%s", "digest": {"sha256": "%s"}}.',
                                obs.observation_id, substr(obs.observation_id, 8));
    END IF;
    -- The same attestation logged before: its entry proves the observation now.
    SELECT r.id INTO logged FROM proofchain.rekor_entries r
     WHERE r.envelope_id = env_id ORDER BY r.created_at, r.id LIMIT 1;
    IF logged IS NOT NULL THEN
        PERFORM vex.link_rekor(obs.id, logged);
    END IF;
    RETURN env_id;
END
$$;
COMMENT ON FUNCTION vex.submit_observation(uuid, jsonb, text) IS
    'Submits the attestation of a VEX observation to the transparency log (log_id, or the default log): a DSSE envelope of an in-toto statement naming the observation id (sha256 of its statement_text) as a subject, signed by a trust anchor of the tenant. It is stored and queued as attestor.submit_envelope does, and the observation (its hub statements and deltas) is linked to the Rekor entry when a worker stores it, in the same transaction (at once when the attestation is logged already). Idempotent; returns the envelope id. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies the signature, 22023 for an unknown observation, an attestation that does not name it, a malformed envelope or an unusable log, 23PA2 when the observation is proven already, 22004 for NULL.';

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
    created uuid;
BEGIN
    PERFORM core.require_tenant();
    IF observation_id IS NULL OR attestation IS NULL THEN
        RAISE EXCEPTION 'observation_id and attestation are required' USING ERRCODE = '22004',
            HINT = 'Pass the observation to change and the signed attestation of its new statement.';
    END IF;
    SELECT * INTO old FROM vex.observations o WHERE o.id = update_status.observation_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown observation %', observation_id
            USING ERRCODE = '22023', HINT = 'Pass an id from vex.observations of the current tenant.';
    END IF;
    IF EXISTS (SELECT FROM vex.observations n WHERE n.supersedes = old.id) THEN
        RAISE EXCEPTION 'observation % is superseded', old.id
            USING ERRCODE = '55000', HINT = 'Update the provider''s current observation of this vulnerability and product.';
    END IF;
    IF reason_code IS NULL OR reason_code !~ '^[a-z][a-z0-9_]{1,63}$' THEN
        RAISE EXCEPTION 'invalid reason_code %', coalesce(quote_literal(reason_code), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use a snake_case code, e.g. fix_released or analysis_complete.';
    END IF;

    -- Signature, trust anchor and statement shape first: submit_envelope checks them all.
    env_id := attestor.submit_envelope(attestation, log_id);
    SELECT e.statement INTO statement FROM proofchain.dsse_envelopes e WHERE e.id = env_id;
    IF coalesce(statement ->> 'predicateType', '') !~ '^https://openvex\.dev/ns(/|$)'
       OR jsonb_typeof(statement -> 'predicate') IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'the attestation''s predicate is not an OpenVEX statement (predicateType %)',
                        coalesce(quote_literal(statement ->> 'predicateType'), 'none')
            USING ERRCODE = '22023',
                  HINT = 'Sign an in-toto statement with predicateType https://openvex.dev/ns/v0.2.0 whose predicate is the new OpenVEX statement.';
    END IF;
    -- The predicate is parsed as any OpenVEX statement (it must carry its own timestamp).
    parsed := _pgattest.vex_normalize_statement((statement -> 'predicate')::text, NULL);
    IF jsonb_array_length(parsed) <> 1 OR parsed -> 0 ->> 'vulnerability_id' <> old.vulnerability_id
       OR parsed -> 0 ->> 'product_key' <> old.product_key THEN
        RAISE EXCEPTION 'the new statement is not about % for % alone', old.vulnerability_id, old.product_key
            USING ERRCODE = '22023', HINT = 'A status change restates the same vulnerability for the same single product.';
    END IF;
    new_obs := parsed -> 0;
    IF new_obs ->> 'status' = old.status THEN
        RAISE EXCEPTION 'observation % already has status %', old.id, old.status
            USING ERRCODE = '22023', HINT = 'A status change needs a different status.';
    END IF;
    IF (new_obs ->> 'timestamp')::timestamptz <= old.statement_timestamp THEN
        RAISE EXCEPTION 'the new statement''s timestamp % is not later than %', new_obs ->> 'timestamp',
                        to_char(old.statement_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            USING ERRCODE = '22023', HINT = 'Timestamp the new statement after the one it supersedes.';
    END IF;
    IF NOT EXISTS (SELECT FROM proofchain.envelope_subjects s
                    WHERE s.envelope_id = env_id AND s.digest_algorithm = 'sha256'
                      AND s.digest = substr(new_obs ->> 'observation_id', 8)) THEN
        RAISE EXCEPTION 'the attestation does not name its statement''s observation id % as a subject',
                        new_obs ->> 'observation_id'
            USING ERRCODE = '22023',
                  HINT = format('Add the subject {"name": "%s", "digest": {"sha256": "%s"}} (vex.verdict_id of the normalized statement).',
                                new_obs ->> 'observation_id', substr(new_obs ->> 'observation_id', 8));
    END IF;

    SELECT s.id INTO created
      FROM _pgattest.store_observations(parsed, old.provider, update_status.reason_code) AS s;
    RETURN created;
END
$$;
COMMENT ON FUNCTION vex.update_status(uuid, jsonb, text, text) IS
    'Changes the status of a provider''s current observation with a signed statement, in one transaction: the attestation (a DSSE envelope of an in-toto statement with predicateType https://openvex.dev/ns/v0.2.0, whose predicate is the new single-product OpenVEX statement, timestamped after the old one, and whose subject names the new observation id, sha256 of the normalized statement) is verified against the tenant''s trust anchors and queued for the transparency log (log_id, or the default log); the new observation supersedes the old one; a vex.delta_changes row records old and new status and reason_code. When the worker stores the entry, the new observation and the delta''s new side are linked to it. Returns the new observation''s id. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies the attestation, 22023 for an unknown observation, a bad reason_code, a predicate that is not an OpenVEX statement about the same vulnerability and single product, an unchanged status, a timestamp not later than the old one, a subject that does not name the new observation, a malformed envelope or an unusable log, 55000 when the observation is superseded, 22004 for NULL.';

RESET ROLE;

CREATE TRIGGER link_proven_observations AFTER INSERT ON proofchain.rekor_entries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.link_proven_observations();

-- Entries are stored by the completion, which runs as pgattest_system (across tenants);
-- the trigger links as that role too, with the column privileges linking needs.
ALTER FUNCTION _pgattest.link_proven_observations() OWNER TO pgattest_system;
GRANT SELECT ON proofchain.envelope_subjects, vexhub.statements, vex.delta_changes TO pgattest_system;
GRANT UPDATE (rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at)
    ON vex.observations, vexhub.statements TO pgattest_system;
GRANT UPDATE (old_rekor_entry_id, new_rekor_entry_id) ON vex.delta_changes TO pgattest_system;

REVOKE ALL ON FUNCTION _pgattest.link_proven_observations(), vex.submit_observation(uuid, jsonb, text),
    vex.update_status(uuid, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.submit_observation(uuid, jsonb, text), vex.update_status(uuid, jsonb, text, text)
    TO pgattest_app;

COMMIT;
