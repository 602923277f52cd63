-- Deploy pgattest:complete_submissions to pg (rework after v0.2.1)
-- requires: complete_submissions@v0.2.1
-- requires: pylib
-- Two costs off the completion's hot path, same checks, same errors, same writes:
--   - the verifier receives each envelope as proofchain.dsse_envelopes stores it (payload
--     type, payload bytes, signatures) through _pgattest.verify_stored_completions,
--     instead of the envelope's jsonb written out as text in SQL and parsed again in
--     Python (the library after v0.2.1 also parses an entry's body once);
--   - complete_submissions checks that ids and tokens are canonical uuids by casting
--     them (a uuid that prints back as its own lower-case text), not with two
--     case-insensitive regular expressions per item; only a batch holding something that
--     is no uuid at all takes the old way, to name the first bad item.
-- _pgattest.verify_completions (envelopes as JSON) stays, unused by the completion.
-- CREATE OR REPLACE keeps owners, grants and comments.

BEGIN;

-- plpython3u is untrusted: the deploying superuser creates the function, then hands it over.
SELECT _pgattest.define_py_function(
    '_pgattest.verify_stored_completions(ids text[], entries text[], log_ids text[], payload_types text[], '
    'payloads bytea[], signatures text[], logs text)',
    'TABLE (k integer, uuid text, entry_id text, log_index bigint, shard_log_index bigint, integrated_time bigint, '
    'kind text, kind_version text, body bytea, leaf_hash bytea, root_hash bytea, tree_size bigint, hashes bytea[], '
    'signed_entry_timestamp bytea, checkpoint text, checkpoint_origin text, checkpoint_signatures jsonb)',
    'STABLE STRICT PARALLEL SAFE', 'verify_stored_completions');
ALTER FUNCTION _pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text)
    OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION _pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text)
    TO pgattest_system;
COMMENT ON FUNCTION _pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text) IS
    '_pgattest.verify_completions with each item''s envelope as proofchain.dsse_envelopes stores it (parallel arrays: payload types, payloads, signatures as the text of the signatures column) instead of its JSON: the same checks, rows and errors (22023 or 22P02 naming the first submission whose entry is malformed, does not verify, lacks a checkpoint or records another envelope; 22023 when the arrays differ in length or a stored envelope is unreadable).';

COMMENT ON FUNCTION _pgattest.verify_completions(text[], text[], text[], text[], text) IS
    'Verifies the log entries completing claimed submissions (parallel arrays: submission ids, entries, log ids, envelopes; logs: {log_id: {name, der, details, start, end}} of the registered logs): each with the checks of proofchain.verify_tlog_entry, carrying its checkpoint, its body recording the envelope. Returns row k (1-based) per item with the entry and its checkpoint typed for storing; raises 22023 (or 22P02) naming the first submission whose entry is malformed, does not verify, lacks a checkpoint or records another envelope; 22023 when the arrays differ in length. The completion uses _pgattest.verify_stored_completions.';

-- Same window, same clamping; plpgsql keeps its compiled body for the session where a
-- SQL function with OUT parameters is parsed and planned at every call.
CREATE OR REPLACE FUNCTION _pgattest.log_validity(valid_from timestamptz, valid_until timestamptz,
                                                  OUT start_epoch bigint, OUT end_epoch bigint)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
BEGIN
    -- No start is the epoch (a trusted root must state one); a start of 'infinity' (never
    -- valid) and years past 9999 clamp to the last second RFC 3339 can write, so such a
    -- log vouches for nothing rather than for everything. No end, or 'infinity', is open.
    start_epoch := CASE WHEN valid_from = '-infinity' THEN 0
                        ELSE least(floor(extract(epoch FROM valid_from)), 253402300799)::bigint END;
    end_epoch := CASE WHEN isfinite(valid_until) THEN least(floor(extract(epoch FROM valid_until)), 253402300799)::bigint END;
END
$$;

CREATE OR REPLACE FUNCTION _pgattest.complete_claimed(ids uuid[], tokens uuid[], entries jsonb[])
RETURNS TABLE (submission_id uuid, rekor_entry_id uuid)
LANGUAGE plpgsql
-- The statements are planned once per session: a custom plan for every call costs more
-- than the whole completion of a small batch.
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenants text[];
    log_ids text[];
    envelope_ids uuid[];
    states text[];
    stored_ids uuid[];
    todo integer[];
    -- The verifier's arguments: the items still to verify, in input order.
    todo_ids text[];
    todo_entries text[];
    todo_logs text[];
    todo_payload_types text[];
    todo_payloads bytea[];
    todo_signatures text[];
    first_unknown integer;
    first_stale integer;
    first_null integer;
    logs jsonb;
BEGIN
    -- Lock in id order (concurrent batches cannot deadlock), read back in input order,
    -- and find, in the same pass, what the checks below need.
    WITH locked AS MATERIALIZED (
        SELECT q.id, q.tenant_id, q.log_id, q.envelope_id, q.state, q.claim_token, q.rekor_entry_id
          FROM attestor.rekor_submission_queue q
         WHERE q.id = ANY (ids)
         ORDER BY q.id
           FOR UPDATE
    )
    SELECT array_agg(l.tenant_id ORDER BY u.k), array_agg(l.log_id ORDER BY u.k), array_agg(l.envelope_id ORDER BY u.k),
           array_agg(l.state ORDER BY u.k), array_agg(l.rekor_entry_id ORDER BY u.k),
           min(u.k) FILTER (WHERE l.tenant_id IS NULL),
           -- A submitted item is already complete: it is returned as it is, whatever the
           -- token. Any other item must still be held under the presented token.
           min(u.k) FILTER (WHERE l.state <> 'submitted' AND (l.state <> 'claimed' OR l.claim_token IS DISTINCT FROM tokens[u.k])),
           min(u.k) FILTER (WHERE l.state = 'claimed' AND entries[u.k] IS NULL),
           coalesce(array_agg(u.k ORDER BY u.k) FILTER (WHERE l.state = 'claimed'), '{}'),
           array_agg(u.id::text ORDER BY u.k) FILTER (WHERE l.state = 'claimed'),
           array_agg(entries[u.k]::text ORDER BY u.k) FILTER (WHERE l.state = 'claimed'),
           array_agg(l.log_id ORDER BY u.k) FILTER (WHERE l.state = 'claimed'),
           array_agg(e.payload_type ORDER BY u.k) FILTER (WHERE l.state = 'claimed'),
           array_agg(e.payload ORDER BY u.k) FILTER (WHERE l.state = 'claimed'),
           array_agg(e.signatures::text ORDER BY u.k) FILTER (WHERE l.state = 'claimed')
      INTO tenants, log_ids, envelope_ids, states, stored_ids, first_unknown, first_stale, first_null,
           todo, todo_ids, todo_entries, todo_logs, todo_payload_types, todo_payloads, todo_signatures
      FROM unnest(ids) WITH ORDINALITY AS u(id, k)
      LEFT JOIN locked l ON l.id = u.id
      LEFT JOIN proofchain.dsse_envelopes e ON e.tenant_id = l.tenant_id AND e.id = l.envelope_id AND l.state = 'claimed';

    IF first_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown submission %', ids[first_unknown]
            USING ERRCODE = '22023', HINT = 'Pass the submission_id that attestor.claim_submissions returned.';
    END IF;
    IF first_stale IS NOT NULL THEN
        RAISE EXCEPTION 'stale claim token % for submission % (now %)', tokens[first_stale], ids[first_stale], states[first_stale]
            USING ERRCODE = '55000',
                  HINT = 'The lease was lost (it expired and the item was claimed again, or it was completed or failed); drop the item (complete the others without it) and claim anew.';
    END IF;
    IF first_null IS NOT NULL THEN
        RAISE EXCEPTION 'tlog_entry is NULL for submission %', ids[first_null]
            USING ERRCODE = '22004', HINT = 'Pass the log''s response for the submission.';
    END IF;

    IF cardinality(todo) > 0 THEN
        -- The logs' keys as the verifier reads them; a log with a recorded split view is
        -- left out, so nothing verifies against it.
        SELECT coalesce(jsonb_object_agg(l.log_id, jsonb_build_object(
                   'name', l.key_name, 'der', encode(l.public_key, 'hex'), 'details', l.key_details,
                   'start', w.start_epoch, 'end', w.end_epoch)), '{}')
          INTO logs
          FROM attestor.transparency_logs l
         CROSS JOIN LATERAL _pgattest.log_validity(l.valid_from, l.valid_until) AS w
         WHERE l.log_id = ANY (todo_logs) AND l.split_view_at IS NULL;
    END IF;

    RETURN QUERY
    WITH v AS MATERIALIZED (
        -- The item's queue fields as columns, read from the arrays once per item.
        -- new_id: the id the entry gets if it is new (materialized: drawn once per item).
        SELECT i.p, ids[i.p] AS item_id, tenants[i.p] AS item_tenant, log_ids[i.p] AS item_log,
               envelope_ids[i.p] AS item_envelope, gen_random_uuid() AS new_id, v.*
          FROM _pgattest.verify_stored_completions(todo_ids, todo_entries, todo_logs, todo_payload_types, todo_payloads,
                                                   todo_signatures, logs::text) AS v
         CROSS JOIN LATERAL (SELECT todo[v.k] AS p) AS i
         WHERE cardinality(todo) > 0
    ), checkpoints AS MATERIALIZED (
        -- Entries of one batch usually share a checkpoint: store each once.
        SELECT d.log_id, d.checkpoint,
               _pgattest.store_verified_checkpoint(d.log_id, d.checkpoint, d.checkpoint_origin, d.tree_size,
                                                   d.root_hash, d.checkpoint_signatures) AS id
          FROM (SELECT DISTINCT v.item_log AS log_id, v.checkpoint, v.checkpoint_origin, v.tree_size, v.root_hash,
                                v.checkpoint_signatures
                  FROM v) AS d
         -- Stored in one order by every batch (the sort runs before the volatile call), so
         -- two batches inserting the same new checkpoints wait for each other, never deadlock.
         ORDER BY d.log_id, d.tree_size
    ), inserted AS (
        INSERT INTO proofchain.rekor_entries AS r
               (id, tenant_id, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index, integrated_time, kind,
                kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes, checkpoint_id,
                signed_entry_timestamp, verified_at)
        SELECT v.new_id, v.item_tenant, v.item_envelope, v.item_log, v.uuid, v.entry_id, v.log_index, v.shard_log_index,
               to_timestamp(v.integrated_time), v.kind, v.kind_version, v.body, v.leaf_hash, v.root_hash, v.tree_size,
               v.hashes, c.id, v.signed_entry_timestamp, now()
          FROM v
          JOIN checkpoints c ON c.log_id = v.item_log AND c.checkpoint = v.checkpoint
        -- The one key a completion can meet again (the id is new): one arbiter to probe.
        ON CONFLICT (tenant_id, log_id, uuid) DO NOTHING
        RETURNING r.id
    ), stored AS (
        -- An entry the tenant already holds (the same envelope logged before) is reused:
        -- looked up only for the rows the insert skipped (the hashed set of inserted ids
        -- answers for the others, where joining the insert's result was a nested loop).
        SELECT v.item_id, v.item_tenant,
               CASE WHEN v.new_id IN (SELECT ins.id FROM inserted ins) THEN v.new_id
                    ELSE (SELECT old.id FROM proofchain.rekor_entries old
                           WHERE old.tenant_id = v.item_tenant AND old.log_id = v.item_log AND old.uuid = v.uuid)
               END AS rekor_entry_id
          FROM v
    ), marked AS (
        UPDATE attestor.rekor_submission_queue q
           SET state = 'submitted', rekor_entry_id = s.rekor_entry_id, submitted_at = now(), claim_token = NULL,
               lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
          FROM stored s
         WHERE q.id = ANY (ids) AND q.id = s.item_id AND q.tenant_id = s.item_tenant
        RETURNING q.id, q.rekor_entry_id
    )
    SELECT m.id, m.rekor_entry_id FROM marked m
    UNION ALL
    SELECT u.id, u.stored FROM unnest(ids, states, stored_ids) AS u(id, state, stored) WHERE u.state = 'submitted'
    ORDER BY 1;
END
$$;

CREATE OR REPLACE FUNCTION attestor.complete_submissions(completions jsonb)
RETURNS TABLE (submission_id uuid, rekor_entry_id uuid)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
    first_bad bigint;
    ids uuid[];
    tokens uuid[];
    entries jsonb[];
BEGIN
    IF completions IS NULL THEN
        RAISE EXCEPTION 'completions is NULL' USING ERRCODE = '22004',
            HINT = 'Pass a JSON array of {submission_id, claim_token, tlog_entry}.';
    END IF;
    IF jsonb_typeof(completions) IS DISTINCT FROM 'array' OR jsonb_array_length(completions) NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'completions must be a JSON array of 1 to 1000 items, got %', left(completions::text, 80)
            USING ERRCODE = '22023', HINT = 'Pass a JSON array of {submission_id, claim_token, tlog_entry}.';
    END IF;
    -- One pass: the first malformed item, and the arrays (a malformed item casts nothing).
    -- A canonical uuid is one that prints back as its own lower-case text; anything that
    -- is no uuid at all makes the cast raise, and only then is the batch read again with
    -- the patterns, to name the first malformed item.
    BEGIN
        SELECT min(c.n) FILTER (WHERE NOT c.ok),
               array_agg(CASE WHEN c.ok THEN c.sid::uuid END ORDER BY c.n),
               array_agg(CASE WHEN c.ok THEN c.token::uuid END ORDER BY c.n),
               array_agg(c.item -> 'tlog_entry' ORDER BY c.n)
          INTO first_bad, ids, tokens, entries
          FROM (SELECT x.item, x.n, f.sid, f.token,
                       coalesce(jsonb_typeof(x.item) = 'object'
                                AND f.sid::uuid::text = lower(f.sid)
                                AND f.token::uuid::text = lower(f.token)
                                AND jsonb_typeof(x.item -> 'tlog_entry') = 'object', false) AS ok
                  FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n)
                 CROSS JOIN LATERAL (SELECT x.item ->> 'submission_id' AS sid, x.item ->> 'claim_token' AS token) AS f) AS c;
    EXCEPTION WHEN invalid_text_representation THEN
        SELECT min(x.n) INTO first_bad
          FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n)
         WHERE NOT coalesce(jsonb_typeof(x.item) = 'object'
                            AND coalesce(x.item ->> 'submission_id', '') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                            AND coalesce(x.item ->> 'claim_token', '') ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                            AND jsonb_typeof(x.item -> 'tlog_entry') = 'object', false);
    END;
    IF first_bad IS NOT NULL THEN
        RAISE EXCEPTION 'completion % is not {submission_id: uuid, claim_token: uuid, tlog_entry: object}: %',
                        first_bad, left((completions -> (first_bad::integer - 1))::text, 120)
            USING ERRCODE = '22023', HINT = 'Pass the submission_id and claim_token from claim_submissions and the log''s entry.';
    END IF;
    IF cardinality(ids) > 1 AND (SELECT count(DISTINCT u.id) FROM unnest(ids) AS u(id)) < cardinality(ids) THEN
        SELECT u.id INTO bad FROM unnest(ids) AS u(id) GROUP BY 1 HAVING count(*) > 1 LIMIT 1;
        RAISE EXCEPTION 'submission % appears twice in one batch', bad.id
            USING ERRCODE = '22023', HINT = 'Complete each claimed submission once.';
    END IF;

    RETURN QUERY
    SELECT c.submission_id, c.rekor_entry_id FROM _pgattest.complete_claimed(ids, tokens, entries) AS c;
END
$$;

-- Single completion stays the batch of one: the same checks, errors and writes.
CREATE OR REPLACE FUNCTION attestor.complete_submission(submission_id uuid, claim_token uuid, tlog_entry jsonb)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF submission_id IS NULL THEN
        RAISE EXCEPTION 'submission_id is NULL' USING ERRCODE = '22004', HINT = 'Pass the id claim_submissions returned.';
    END IF;
    RETURN (SELECT c.rekor_entry_id
              FROM _pgattest.complete_claimed(ARRAY[submission_id], ARRAY[claim_token], ARRAY[tlog_entry]) AS c);
END
$$;

COMMENT ON FUNCTION _pgattest.complete_claimed(uuid[], uuid[], jsonb[]) IS
    'The completion of attestor.complete_submission and attestor.complete_submissions (parallel arrays of submission ids, claim tokens and log entries): locks the items, rejects unknown ones (22023) and stale tokens (55000), verifies every entry of a claimed item (NULL: 22004) against its stored envelope with _pgattest.verify_stored_completions, then stores checkpoints and entries and marks the items submitted; items already submitted are returned unchanged.';

COMMIT;
