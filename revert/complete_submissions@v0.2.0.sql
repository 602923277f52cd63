-- Revert pgattest:complete_submissions from pg
-- Restores complete_submission, store_checkpoint and trusted_root as submission_queue@v0.1.0,
-- rekor_checkpoints and transparency_logs define them (they call nothing this change
-- adds), then drops the batch path.

BEGIN;

CREATE OR REPLACE FUNCTION attestor.complete_submission(submission_id uuid, claim_token uuid, tlog_entry jsonb)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item attestor.rekor_submission_queue := _pgattest.locked_submission(submission_id);
    env proofchain.dsse_envelopes;
    result jsonb;
    entry jsonb;
    mismatch text;
    checkpoint bigint;
    stored uuid;
BEGIN
    -- A second completion of a submitted item changes nothing.
    IF item.state = 'submitted' THEN
        RETURN item.rekor_entry_id;
    END IF;
    PERFORM _pgattest.require_lease(item, claim_token);
    IF tlog_entry IS NULL THEN
        RAISE EXCEPTION 'tlog_entry is NULL' USING ERRCODE = '22004', HINT = 'Pass the log''s response for the submission.';
    END IF;

    result := proofchain.verify_tlog_entry(tlog_entry, attestor.trusted_root(item.log_id));
    IF NOT (result ->> 'verified')::boolean THEN
        RAISE EXCEPTION 'the log entry for submission % does not verify against log %: %',
                        item.id, item.log_id, result ->> 'error'
            USING ERRCODE = '22023', DETAIL = 'checks: ' || (result -> 'checks')::text,
                  HINT = 'Pass the entry exactly as the registered log returned it.';
    END IF;
    entry := result -> 'entry';
    SELECT * INTO env FROM proofchain.dsse_envelopes e WHERE e.tenant_id = item.tenant_id AND e.id = item.envelope_id;
    mismatch := _pgattest.body_mismatch(decode(entry ->> 'body_b64', 'base64'), env.envelope);
    IF mismatch IS NOT NULL THEN
        RAISE EXCEPTION 'the log entry for submission % records another envelope: %', item.id, mismatch
            USING ERRCODE = '22023', HINT = 'The entry''s body must record the submitted envelope.';
    END IF;
    checkpoint := _pgattest.store_checkpoint(item.log_id, entry ->> 'checkpoint');

    INSERT INTO proofchain.rekor_entries AS r
           (tenant_id, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index, integrated_time, kind,
            kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes, checkpoint_id,
            signed_entry_timestamp, verified_at)
    VALUES (item.tenant_id, item.envelope_id, item.log_id, entry ->> 'uuid', entry ->> 'entry_id',
            (entry ->> 'log_index')::bigint, (entry ->> 'shard_log_index')::bigint,
            to_timestamp((entry ->> 'integrated_time')::bigint), entry ->> 'kind', entry ->> 'kind_version',
            decode(entry ->> 'body_b64', 'base64'), decode(entry ->> 'leaf_hash', 'hex'),
            decode(entry ->> 'root_hash', 'hex'), (entry ->> 'tree_size')::bigint,
            ARRAY(SELECT decode(h, 'hex') FROM jsonb_array_elements_text(entry -> 'hashes') WITH ORDINALITY AS x(h, n) ORDER BY n),
            checkpoint, decode(entry ->> 'signed_entry_timestamp', 'base64'), now())
    ON CONFLICT DO NOTHING
    RETURNING r.id INTO stored;
    IF stored IS NULL THEN  -- the tenant already holds this very entry
        SELECT r.id INTO stored FROM proofchain.rekor_entries r
         WHERE r.tenant_id = item.tenant_id AND r.log_id = item.log_id AND r.uuid = entry ->> 'uuid';
    END IF;

    UPDATE attestor.rekor_submission_queue q
       SET state = 'submitted', rekor_entry_id = stored, submitted_at = now(), claim_token = NULL,
           lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
     WHERE q.tenant_id = item.tenant_id AND q.id = item.id;
    RETURN stored;
END
$$;

CREATE OR REPLACE FUNCTION _pgattest.store_checkpoint(log_id text, note text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    existing attestor.rekor_checkpoints;
    new_id bigint;
BEGIN
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    INSERT INTO attestor.rekor_checkpoints AS c (log_id, origin, tree_size, root_hash, note, signatures)
    VALUES (log_id, cp.origin, cp.tree_size, cp.root_hash, note, cp.signatures)
    ON CONFLICT ON CONSTRAINT rekor_checkpoints_log_id_tree_size_key DO NOTHING
    RETURNING c.id INTO new_id;
    IF new_id IS NOT NULL THEN
        RETURN new_id;
    END IF;
    SELECT * INTO existing FROM attestor.rekor_checkpoints c
     WHERE c.log_id = store_checkpoint.log_id AND c.tree_size = cp.tree_size;
    IF existing.root_hash = cp.root_hash THEN
        RETURN existing.id;
    END IF;
    RAISE EXCEPTION 'split view: log % signed two roots for tree size % (stored %, now %)',
                    log_id, cp.tree_size, encode(existing.root_hash, 'hex'), encode(cp.root_hash, 'hex')
        USING ERRCODE = '23PA1',
              DETAIL = format('stored checkpoint %s; conflicting note: %s', existing.id, note),
              HINT = 'Call attestor.record_split_view(log_id, note) in a new transaction to keep the evidence; the log must be investigated.';
END
$$;

-- trusted_root as transparency_logs defines it.
CREATE OR REPLACE FUNCTION attestor.trusted_root(log_id text)
RETURNS jsonb
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'mediaType', 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        'tlogs', coalesce(jsonb_agg(jsonb_build_object(
            'baseUrl', l.base_url,
            'checkpointKeyName', l.key_name,
            'hashAlgorithm', 'SHA2_256',
            'publicKey', jsonb_build_object(
                'rawBytes', translate(encode(l.public_key, 'base64'), E'\n', ''),
                'keyDetails', l.key_details,
                'validFor', jsonb_strip_nulls(jsonb_build_object(
                    'start', CASE WHEN l.valid_from > '-infinity' THEN to_char(l.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') ELSE '1970-01-01T00:00:00Z' END,
                    'end', to_char(l.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))),
            'logId', jsonb_build_object('keyId', translate(encode(decode(l.log_id, 'hex'), 'base64'), E'\n', '')))), '[]'::jsonb))
      FROM attestor.transparency_logs l
     WHERE l.log_id = trusted_root.log_id AND l.split_view_at IS NULL
$$;

DROP FUNCTION attestor.complete_submissions(jsonb);
DROP FUNCTION _pgattest.complete_claimed(uuid[], uuid[], jsonb[]);
DROP FUNCTION _pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb);
DROP FUNCTION _pgattest.verify_completions(text[], text[], text[], text[], text);
DROP FUNCTION _pgattest.log_validity(timestamptz, timestamptz);

COMMIT;
