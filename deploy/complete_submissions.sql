-- Deploy pgattest:complete_submissions to pg
-- requires: submission_queue
-- requires: pylib
-- Batch completion: a worker that claimed a batch completes it in one call. The
-- per-item function pays, per entry, a PL/Python call with its JSON round trips, a
-- trusted-root build and a checkpoint store; here the whole batch is verified by one
-- PL/Python call and written by three set-based statements, with the same checks and
-- the same all-or-nothing guarantee (nothing is written unless every entry verifies).

BEGIN;

-- plpython3u is untrusted: the deploying superuser creates the function, then hands it over.
SELECT _pgattest.define_py_function(
    '_pgattest.verify_submissions(batch jsonb)', 'jsonb', 'STABLE STRICT PARALLEL SAFE', 'verify_submissions');
ALTER FUNCTION _pgattest.verify_submissions(jsonb) OWNER TO pgattest_owner;

SET LOCAL ROLE pgattest_owner;

COMMENT ON FUNCTION _pgattest.verify_submissions(jsonb) IS
    'Verifies the log entries of a batch ({"roots": {log_id: trusted root}, "items": [{id, log_id, entry, envelope}]}): each entry with the checks of proofchain.verify_tlog_entry and that its body records the envelope. Returns [{id, entry}] with the normalized entries; raises 22023 (or 22P02) naming the first submission whose entry is malformed, does not verify or records another envelope.';

CREATE FUNCTION attestor.complete_submissions(completions jsonb)
RETURNS TABLE (submission_id uuid, rekor_entry_id uuid)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ids uuid[];
    items jsonb;
    bad record;
    verified jsonb;
BEGIN
    IF completions IS NULL THEN
        RAISE EXCEPTION 'completions is NULL' USING ERRCODE = '22004',
            HINT = 'Pass a JSON array of {submission_id, claim_token, tlog_entry}.';
    END IF;
    IF jsonb_typeof(completions) IS DISTINCT FROM 'array' OR jsonb_array_length(completions) NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'completions must be a JSON array of 1 to 1000 items, got %', left(completions::text, 80)
            USING ERRCODE = '22023', HINT = 'Pass a JSON array of {submission_id, claim_token, tlog_entry}.';
    END IF;
    SELECT c.n, c.item INTO bad
      FROM jsonb_array_elements(completions) WITH ORDINALITY AS c(item, n)
     WHERE jsonb_typeof(c.item) IS DISTINCT FROM 'object'
        OR coalesce(c.item ->> 'submission_id', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
        OR coalesce(c.item ->> 'claim_token', '') !~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
        OR jsonb_typeof(c.item -> 'tlog_entry') IS DISTINCT FROM 'object'
     ORDER BY c.n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'completion % is not {submission_id: uuid, claim_token: uuid, tlog_entry: object}: %',
                        bad.n, left(bad.item::text, 120)
            USING ERRCODE = '22023', HINT = 'Pass the submission_id and claim_token from claim_submissions and the log''s entry.';
    END IF;
    SELECT (c.item ->> 'submission_id')::uuid AS id INTO bad
      FROM jsonb_array_elements(completions) AS c(item)
     GROUP BY 1 HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'submission % appears twice in one batch', bad.id
            USING ERRCODE = '22023', HINT = 'Complete each claimed submission once.';
    END IF;

    -- Lock the items in id order (concurrent batches cannot deadlock), then check them
    -- all before verifying anything. Items are found by id through the index (= ANY).
    ids := ARRAY(SELECT (c.item ->> 'submission_id')::uuid FROM jsonb_array_elements(completions) AS c(item));
    WITH wanted AS (
        SELECT (c.item ->> 'submission_id')::uuid AS id, (c.item ->> 'claim_token')::uuid AS token,
               c.item -> 'tlog_entry' AS entry, c.n
          FROM jsonb_array_elements(completions) WITH ORDINALITY AS c(item, n)
    ), locked AS (
        SELECT q.tenant_id, q.id, q.log_id, q.envelope_id, q.state, q.claim_token, q.rekor_entry_id
          FROM attestor.rekor_submission_queue q
         WHERE q.id = ANY (ids)
         ORDER BY q.id
           FOR UPDATE
    )
    SELECT jsonb_agg(jsonb_build_object('n', w.n, 'id', w.id, 'token', w.token, 'entry', w.entry,
                                        'tenant_id', l.tenant_id, 'log_id', l.log_id, 'envelope_id', l.envelope_id,
                                        'state', l.state, 'claim_token', l.claim_token,
                                        'rekor_entry_id', l.rekor_entry_id) ORDER BY w.n)
      INTO items
      FROM wanted w LEFT JOIN locked l ON l.id = w.id;

    SELECT i ->> 'id' AS id INTO bad FROM jsonb_array_elements(items) AS i WHERE i ->> 'tenant_id' IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unknown submission %', bad.id
            USING ERRCODE = '22023', HINT = 'Pass the submission_id that attestor.claim_submissions returned.';
    END IF;
    -- A submitted item is already complete (as in complete_submission): it is returned
    -- as it is. Any other item must still be held under the presented token.
    SELECT i ->> 'id' AS id, i ->> 'token' AS token, i ->> 'state' AS state INTO bad
      FROM jsonb_array_elements(items) AS i
     WHERE i ->> 'state' <> 'submitted' AND (i ->> 'state' <> 'claimed' OR i ->> 'claim_token' <> i ->> 'token')
     ORDER BY (i ->> 'n')::integer LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'stale claim token % for submission % (now %)', bad.token, bad.id, bad.state
            USING ERRCODE = '55000',
                  HINT = 'The lease was lost (it expired and the item was claimed again, or it was completed or failed); complete the other items without it.';
    END IF;

    verified := _pgattest.verify_submissions(jsonb_build_object(
        'roots', (SELECT coalesce(jsonb_object_agg(l.log_id, attestor.trusted_root(l.log_id)), '{}')
                    FROM (SELECT DISTINCT i ->> 'log_id' AS log_id FROM jsonb_array_elements(items) AS i
                           WHERE i ->> 'state' = 'claimed') AS l),
        'items', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', i -> 'id', 'log_id', i -> 'log_id', 'entry', i -> 'entry',
                                                               'envelope', e.envelope) ORDER BY (i ->> 'n')::integer), '[]')
                    FROM jsonb_array_elements(items) AS i
                    JOIN proofchain.dsse_envelopes e
                      ON e.tenant_id = i ->> 'tenant_id' AND e.id = (i ->> 'envelope_id')::uuid
                   WHERE i ->> 'state' = 'claimed')));

    RETURN QUERY
    WITH done AS (
        SELECT (i ->> 'id')::uuid AS id, (i ->> 'rekor_entry_id')::uuid AS rekor_entry_id, (i ->> 'n')::integer AS n
          FROM jsonb_array_elements(items) AS i
         WHERE i ->> 'state' = 'submitted'
    ), fresh AS (
        SELECT (v ->> 'id')::uuid AS id, i ->> 'tenant_id' AS tenant_id, (i ->> 'envelope_id')::uuid AS envelope_id,
               i ->> 'log_id' AS log_id, (i ->> 'n')::integer AS n, v -> 'entry' AS entry
          FROM jsonb_array_elements(verified) AS v
          JOIN jsonb_array_elements(items) AS i ON i -> 'id' = v -> 'id'
    ), checkpoints AS MATERIALIZED (
        -- Entries of one batch usually share a checkpoint: verify and store each once.
        SELECT d.log_id, d.note, _pgattest.store_checkpoint(d.log_id, d.note) AS id
          FROM (SELECT DISTINCT f.log_id, f.entry ->> 'checkpoint' AS note FROM fresh f) AS d
    ), inserted AS (
        INSERT INTO proofchain.rekor_entries AS r
               (tenant_id, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index, integrated_time, kind,
                kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes, checkpoint_id,
                signed_entry_timestamp, verified_at)
        SELECT f.tenant_id, f.envelope_id, f.log_id, f.entry ->> 'uuid', f.entry ->> 'entry_id',
               (f.entry ->> 'log_index')::bigint, (f.entry ->> 'shard_log_index')::bigint,
               to_timestamp((f.entry ->> 'integrated_time')::bigint), f.entry ->> 'kind', f.entry ->> 'kind_version',
               decode(f.entry ->> 'body_b64', 'base64'), decode(f.entry ->> 'leaf_hash', 'hex'),
               decode(f.entry ->> 'root_hash', 'hex'), (f.entry ->> 'tree_size')::bigint,
               ARRAY(SELECT decode(h, 'hex') FROM jsonb_array_elements_text(f.entry -> 'hashes') WITH ORDINALITY AS x(h, k) ORDER BY k),
               c.id, decode(f.entry ->> 'signed_entry_timestamp', 'base64'), now()
          FROM fresh f
          JOIN checkpoints c ON c.log_id = f.log_id AND c.note = f.entry ->> 'checkpoint'
        ON CONFLICT DO NOTHING
        RETURNING r.tenant_id, r.log_id, r.uuid, r.id
    ), stored AS (
        -- An entry the tenant already holds (the same envelope logged before) is reused;
        -- coalesce looks it up only for rows the insert skipped.
        SELECT f.id, f.tenant_id, f.n,
               coalesce(ins.id, (SELECT old.id FROM proofchain.rekor_entries old
                                  WHERE old.tenant_id = f.tenant_id AND old.log_id = f.log_id
                                    AND old.uuid = f.entry ->> 'uuid')) AS rekor_entry_id
          FROM fresh f
          LEFT JOIN inserted ins ON ins.tenant_id = f.tenant_id AND ins.log_id = f.log_id AND ins.uuid = f.entry ->> 'uuid'
    ), marked AS (
        UPDATE attestor.rekor_submission_queue q
           SET state = 'submitted', rekor_entry_id = s.rekor_entry_id, submitted_at = now(), claim_token = NULL,
               lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
          FROM stored s
         WHERE q.id = ANY (ids) AND q.tenant_id = s.tenant_id AND q.id = s.id
        RETURNING q.id, q.rekor_entry_id
    )
    SELECT m.id, m.rekor_entry_id FROM marked m JOIN stored s ON s.id = m.id
    UNION ALL
    SELECT d.id, d.rekor_entry_id FROM done d
    ORDER BY 1;
END
$$;

COMMENT ON FUNCTION attestor.complete_submissions(jsonb) IS
    'Completes a batch of claimed submissions in one call: completions is a JSON array of {submission_id, claim_token, tlog_entry} (1 to 1000). Every entry is checked as attestor.complete_submission checks one (verified against the registered log key: leaf hash, inclusion proof, checkpoint signature and agreement, signed entry timestamp; its body records the submitted envelope); only when all pass are the checkpoints and entries stored and the items marked submitted, in one transaction. Returns (submission_id, rekor_entry_id) for every item; items already submitted are returned unchanged. For pgattest_worker. Raises 22023 for a malformed batch, a duplicate or unknown submission or an entry that does not verify or records another envelope (naming it), 55000 for a stale claim token, 23PA1 when a checkpoint reveals a split view, 22004 for NULL; then nothing is written, and the worker completes the good items without the bad one.';

RESET ROLE;
ALTER FUNCTION attestor.complete_submissions(jsonb) OWNER TO pgattest_system;
REVOKE ALL ON FUNCTION attestor.complete_submissions(jsonb), _pgattest.verify_submissions(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION _pgattest.verify_submissions(jsonb) TO pgattest_system;
GRANT EXECUTE ON FUNCTION attestor.complete_submissions(jsonb) TO pgattest_worker;

COMMIT;
