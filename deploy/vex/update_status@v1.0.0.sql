-- Deploy pgattest:vex/update_status to pg
-- requires: core/require_tenant vex/observations _pgattest/lock_current_observation proofchain/dsse_envelopes attestor/submit_envelope
-- requires: _pgattest/store_observations _pgattest/vex_normalize_statement _pgattest/attest_observation
-- A status change with a signed statement, in one call: the new observation, its delta and
-- its submission to the log. The caller signs (the database holds no signing key); the
-- attestation's subject must name the new observation's content id, the rule every link
-- to a Rekor entry enforces. The unsigned form is vex.record_status_change.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.update_status(observation_id uuid, attestation jsonb, reason_code text, log_id text DEFAULT NULL)
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
    old := _pgattest.lock_current_observation(update_status.observation_id);

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

    SELECT s.observation_id INTO created.id FROM _pgattest.store_observations(parsed, old.provider, update_status.reason_code) AS s;
    -- (Read in a statement of its own: the one that stored it does not see its row.)
    SELECT * INTO created FROM vex.observations o WHERE o.id = created.id;
    PERFORM _pgattest.attest_observation(created, env_id);
    RETURN created.id;
END
$$;

COMMENT ON FUNCTION vex.update_status(uuid, jsonb, text, text) IS
    'Changes the status of a provider''s current observation with a signed statement, in one transaction: the attestation (a DSSE envelope of an in-toto statement with predicateType https://openvex.dev/ns/v0.2.0, whose predicate is the new single-product OpenVEX statement, timestamped after the old one, and whose subject names the new observation''s content_id, sha256 of the normalized statement) is verified against the tenant''s trust anchors and queued for the transparency log (log_id, or the default log); the new observation supersedes the old one; a vex.delta_changes row records old and new status and reason_code. When the worker stores the entry, the new observation and the delta''s new side are linked to it (at once when the attestation is logged already). Returns the new observation''s id. The unsigned form, with the statement built by the database, is vex.record_status_change. For pgattest_app. Raises 42501 without a tenant or when no trust anchor verifies the attestation, 22023 for an unknown observation, a bad or NULL reason_code, a predicate that is not an OpenVEX statement about the same vulnerability and single product, an unchanged status, a timestamp not later than the old one, a subject that does not name the new observation, a malformed envelope or an unusable log, 55000 when the observation is superseded, 22004 for a NULL observation_id or attestation.';
REVOKE ALL ON FUNCTION vex.update_status(uuid, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.update_status(uuid, jsonb, text, text) TO pgattest_app;

COMMIT;
