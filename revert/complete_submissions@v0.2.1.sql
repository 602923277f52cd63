-- Revert pgattest:complete_submissions (the rework after v0.2.0) from pg
-- Restores the v0.2.0 completion: _pgattest.log_validity as a SQL function,
-- complete_claimed, complete_submissions and complete_submission as v0.2.0 defined them
-- (CREATE OR REPLACE: owners, grants and comments stay; the plan_cache_mode settings
-- this rework added on complete_submissions and complete_submission go).

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.log_validity(valid_from timestamptz, valid_until timestamptz,
                                       OUT start_epoch bigint, OUT end_epoch bigint)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    -- No start is the epoch (a trusted root must state one); a start of 'infinity' (never
    -- valid) and years past 9999 clamp to the last second RFC 3339 can write, so such a
    -- log vouches for nothing rather than for everything. No end, or 'infinity', is open.
    SELECT CASE WHEN valid_from = '-infinity' THEN 0
                ELSE least(floor(extract(epoch FROM valid_from)), 253402300799)::bigint END,
           CASE WHEN isfinite(valid_until) THEN least(floor(extract(epoch FROM valid_until)), 253402300799)::bigint END
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
    held uuid[];
    stored_ids uuid[];
    todo integer[];
    logs jsonb;
    bad record;
BEGIN
    -- Lock in id order (concurrent batches cannot deadlock), read back in input order.
    WITH locked AS MATERIALIZED (
        SELECT q.id, q.tenant_id, q.log_id, q.envelope_id, q.state, q.claim_token, q.rekor_entry_id
          FROM attestor.rekor_submission_queue q
         WHERE q.id = ANY (ids)
         ORDER BY q.id
           FOR UPDATE
    )
    SELECT array_agg(l.tenant_id ORDER BY u.k), array_agg(l.log_id ORDER BY u.k), array_agg(l.envelope_id ORDER BY u.k),
           array_agg(l.state ORDER BY u.k), array_agg(l.claim_token ORDER BY u.k), array_agg(l.rekor_entry_id ORDER BY u.k)
      INTO tenants, log_ids, envelope_ids, states, held, stored_ids
      FROM unnest(ids) WITH ORDINALITY AS u(id, k)
      LEFT JOIN locked l ON l.id = u.id;

    SELECT u.id INTO bad FROM unnest(ids, tenants) WITH ORDINALITY AS u(id, tenant_id, k)
     WHERE u.tenant_id IS NULL ORDER BY u.k LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unknown submission %', bad.id
            USING ERRCODE = '22023', HINT = 'Pass the submission_id that attestor.claim_submissions returned.';
    END IF;
    -- A submitted item is already complete: it is returned as it is, whatever the token.
    -- Any other item must still be held under the presented token.
    SELECT u.id, u.token, u.state INTO bad
      FROM unnest(ids, tokens, states, held) WITH ORDINALITY AS u(id, token, state, held, k)
     WHERE u.state <> 'submitted' AND (u.state <> 'claimed' OR u.held IS DISTINCT FROM u.token)
     ORDER BY u.k LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'stale claim token % for submission % (now %)', bad.token, bad.id, bad.state
            USING ERRCODE = '55000',
                  HINT = 'The lease was lost (it expired and the item was claimed again, or it was completed or failed); drop the item (complete the others without it) and claim anew.';
    END IF;
    todo := ARRAY(SELECT u.k FROM unnest(states) WITH ORDINALITY AS u(state, k) WHERE u.state = 'claimed' ORDER BY u.k);
    SELECT ids[t.k] AS id INTO bad FROM unnest(todo) AS t(k) WHERE entries[t.k] IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'tlog_entry is NULL for submission %', bad.id
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
         WHERE l.log_id = ANY (log_ids) AND l.split_view_at IS NULL;
    END IF;

    RETURN QUERY
    WITH v AS MATERIALIZED (
        SELECT todo[v.k] AS p, v.*
          FROM _pgattest.verify_completions(
                   ARRAY(SELECT ids[t.k]::text FROM unnest(todo) WITH ORDINALITY AS t(k, n) ORDER BY t.n),
                   ARRAY(SELECT entries[t.k]::text FROM unnest(todo) WITH ORDINALITY AS t(k, n) ORDER BY t.n),
                   ARRAY(SELECT log_ids[t.k] FROM unnest(todo) WITH ORDINALITY AS t(k, n) ORDER BY t.n),
                   ARRAY(SELECT (SELECT e.envelope::text FROM proofchain.dsse_envelopes e
                                  WHERE e.tenant_id = tenants[t.k] AND e.id = envelope_ids[t.k])
                           FROM unnest(todo) WITH ORDINALITY AS t(k, n) ORDER BY t.n),
                   logs::text) AS v
         WHERE cardinality(todo) > 0
    ), checkpoints AS MATERIALIZED (
        -- Entries of one batch usually share a checkpoint: store each once.
        SELECT d.log_id, d.checkpoint,
               _pgattest.store_verified_checkpoint(d.log_id, d.checkpoint, d.checkpoint_origin, d.tree_size,
                                                   d.root_hash, d.checkpoint_signatures) AS id
          FROM (SELECT DISTINCT log_ids[v.p] AS log_id, v.checkpoint, v.checkpoint_origin, v.tree_size, v.root_hash,
                                v.checkpoint_signatures
                  FROM v) AS d
         -- Stored in one order by every batch (the sort runs before the volatile call), so
         -- two batches inserting the same new checkpoints wait for each other, never deadlock.
         ORDER BY d.log_id, d.tree_size
    ), inserted AS (
        INSERT INTO proofchain.rekor_entries AS r
               (tenant_id, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index, integrated_time, kind,
                kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes, checkpoint_id,
                signed_entry_timestamp, verified_at)
        SELECT tenants[v.p], envelope_ids[v.p], log_ids[v.p], v.uuid, v.entry_id, v.log_index, v.shard_log_index,
               to_timestamp(v.integrated_time), v.kind, v.kind_version, v.body, v.leaf_hash, v.root_hash, v.tree_size,
               v.hashes, c.id, v.signed_entry_timestamp, now()
          FROM v
          JOIN checkpoints c ON c.log_id = log_ids[v.p] AND c.checkpoint = v.checkpoint
        ON CONFLICT DO NOTHING
        RETURNING r.tenant_id, r.log_id, r.uuid, r.id
    ), stored AS (
        -- An entry the tenant already holds (the same envelope logged before) is reused;
        -- coalesce looks it up only for rows the insert skipped.
        SELECT v.p,
               coalesce(ins.id, (SELECT old.id FROM proofchain.rekor_entries old
                                  WHERE old.tenant_id = tenants[v.p] AND old.log_id = log_ids[v.p]
                                    AND old.uuid = v.uuid)) AS rekor_entry_id
          FROM v
          LEFT JOIN inserted ins ON ins.tenant_id = tenants[v.p] AND ins.log_id = log_ids[v.p] AND ins.uuid = v.uuid
    ), marked AS (
        UPDATE attestor.rekor_submission_queue q
           SET state = 'submitted', rekor_entry_id = s.rekor_entry_id, submitted_at = now(), claim_token = NULL,
               lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
          FROM stored s
         WHERE q.id = ANY (ids) AND q.id = ids[s.p] AND q.tenant_id = tenants[s.p]
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
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
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

    RETURN QUERY
    SELECT c.submission_id, c.rekor_entry_id
      FROM _pgattest.complete_claimed(
               ARRAY(SELECT (x.item ->> 'submission_id')::uuid FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n) ORDER BY x.n),
               ARRAY(SELECT (x.item ->> 'claim_token')::uuid FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n) ORDER BY x.n),
               ARRAY(SELECT x.item -> 'tlog_entry' FROM jsonb_array_elements(completions) WITH ORDINALITY AS x(item, n) ORDER BY x.n)) AS c;
END
$$;

CREATE OR REPLACE FUNCTION attestor.complete_submission(submission_id uuid, claim_token uuid, tlog_entry jsonb)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
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

COMMIT;
