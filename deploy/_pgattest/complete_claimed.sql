-- Deploy pgattest:_pgattest/complete_claimed to pg
-- requires: _pgattest/completion _pgattest/completion_item _pgattest/verify_stored_completions
-- requires: attestor/rekor_submission_queue proofchain/dsse_envelopes attestor/transparency_logs
-- requires: _pgattest/log_validity _pgattest/store_verified_checkpoint proofchain/rekor_entries
-- The one completion path, for batches and single items: every entry is verified before
-- anything is written, and nothing is written unless every entry verifies.
-- Few statements and no per-call planning (executor start-up and planning dominate a
-- batch of one): one statement locks the items and derives the first unknown item, the
-- first stale token, the first missing entry and the claimed items to verify, as typed
-- rows (_pgattest.completion_item, not parallel arrays kept aligned by position); one
-- reads the logs' keys; one verifies (a single PL/Python call for the batch) and stores.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.complete_claimed(completions _pgattest.completion[])
RETURNS TABLE (submission_id uuid, rekor_entry_id uuid)
LANGUAGE plpgsql
-- The statements are planned once per session: a custom plan for every call costs more
-- than the whole completion of a small batch.
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- The batch's ids: the queue is read and updated through its id index.
    ids uuid[] := ARRAY(SELECT c.submission_id FROM unnest(completions) AS c);
    -- The claimed items still to verify, in input order.
    claimed _pgattest.completion_item[];
    -- The items already submitted: returned as they are.
    done uuid[];
    first_unknown integer;
    first_stale integer;
    stale_state text;
    first_null integer;
    logs jsonb;
BEGIN
    -- Lock in id order (concurrent batches cannot deadlock), read back in input order,
    -- and find, in the same pass, what the checks below need.
    WITH locked AS MATERIALIZED (
        SELECT q.id, q.tenant_id, q.log_id, q.envelope_id, q.state, q.claim_token
          FROM attestor.rekor_submission_queue q
         WHERE q.id = ANY (ids)
         ORDER BY q.id
           FOR UPDATE
    )
    SELECT min(c.k) FILTER (WHERE l.tenant_id IS NULL),
           -- A submitted item is already complete: it is returned as it is, whatever the
           -- token. Any other item must still be held under the presented token.
           min(c.k) FILTER (WHERE l.state <> 'submitted' AND (l.state <> 'claimed' OR l.claim_token IS DISTINCT FROM c.claim_token)),
           (array_agg(l.state ORDER BY c.k) FILTER (WHERE l.state <> 'submitted' AND (l.state <> 'claimed' OR l.claim_token IS DISTINCT FROM c.claim_token)))[1],
           min(c.k) FILTER (WHERE l.state = 'claimed' AND c.tlog_entry IS NULL),
           coalesce(array_agg(ROW(c.submission_id, l.tenant_id, l.envelope_id, l.log_id, c.tlog_entry, e.payload_type,
                                  e.payload, e.signatures)::_pgattest.completion_item ORDER BY c.k)
                        FILTER (WHERE l.state = 'claimed'), '{}'),
           coalesce(array_agg(c.submission_id) FILTER (WHERE l.state = 'submitted'), '{}')
      INTO first_unknown, first_stale, stale_state, first_null, claimed, done
      FROM unnest(completions) WITH ORDINALITY AS c(submission_id, claim_token, tlog_entry, k)
      LEFT JOIN locked l ON l.id = c.submission_id
      LEFT JOIN proofchain.dsse_envelopes e ON e.tenant_id = l.tenant_id AND e.id = l.envelope_id AND l.state = 'claimed';

    IF first_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown submission %', (completions[first_unknown]).submission_id
            USING ERRCODE = '22023', HINT = 'Pass the submission_id that attestor.claim_submissions returned.';
    END IF;
    IF first_stale IS NOT NULL THEN
        RAISE EXCEPTION 'stale claim token % for submission % (now %)',
                        (completions[first_stale]).claim_token, (completions[first_stale]).submission_id, stale_state
            USING ERRCODE = '55000',
                  HINT = 'The lease was lost (it expired and the item was claimed again, or it was completed or failed); drop the item (complete the others without it) and claim anew.';
    END IF;
    IF first_null IS NOT NULL THEN
        RAISE EXCEPTION 'tlog_entry is NULL for submission %', (completions[first_null]).submission_id
            USING ERRCODE = '22004', HINT = 'Pass the log''s response for the submission.';
    END IF;

    IF cardinality(claimed) > 0 THEN
        -- The logs' keys as the verifier reads them; a log with a recorded split view is
        -- left out, so nothing verifies against it.
        SELECT coalesce(jsonb_object_agg(l.log_id, jsonb_build_object(
                   'name', l.key_name, 'der', encode(l.public_key, 'hex'), 'details', l.key_details,
                   'start', w.start_epoch, 'end', w.end_epoch)), '{}')
          INTO logs
          FROM attestor.transparency_logs l
         CROSS JOIN LATERAL _pgattest.log_validity(l.valid_from, l.valid_until) AS w
         WHERE l.log_id IN (SELECT i.log_id FROM unnest(claimed) AS i) AND l.split_view_at IS NULL;
    END IF;

    RETURN QUERY
    WITH v AS MATERIALIZED (
        -- Each verified entry with its item's queue fields, matched by submission id.
        -- new_id: the id the entry gets if it is new (materialized: drawn once per item).
        SELECT i.submission_id AS item_id, i.tenant_id AS item_tenant, i.log_id AS item_log,
               i.envelope_id AS item_envelope, gen_random_uuid() AS new_id,
               r.uuid, r.entry_id, r.log_index, r.shard_log_index, r.integrated_time, r.kind, r.kind_version, r.body,
               r.leaf_hash, r.root_hash, r.tree_size, r.hashes, r.signed_entry_timestamp, r.checkpoint,
               r.checkpoint_origin, r.checkpoint_signatures
          FROM _pgattest.verify_stored_completions(claimed, logs::text) AS r
          JOIN unnest(claimed) AS i ON i.submission_id = r.submission_id
         WHERE cardinality(claimed) > 0
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
    -- Already submitted (locked by this transaction above): the entry it was marked with.
    SELECT q.id, q.rekor_entry_id FROM attestor.rekor_submission_queue q WHERE q.id = ANY (done) AND q.state = 'submitted'
    ORDER BY 1;
END
$$;

COMMENT ON FUNCTION _pgattest.complete_claimed(_pgattest.completion[]) IS
    'The completion of attestor.complete_submission and attestor.complete_submissions (one _pgattest.completion per item: submission id, claim token, log entry): locks the items, rejects unknown ones (22023) and stale tokens (55000), verifies every entry of a claimed item (NULL: 22004) against its stored envelope with _pgattest.verify_stored_completions, then stores checkpoints and entries and marks the items submitted; items already submitted are returned unchanged.';
REVOKE ALL ON FUNCTION _pgattest.complete_claimed(_pgattest.completion[]) FROM PUBLIC;
-- attestor.complete_submission and complete_submissions run as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.complete_claimed(_pgattest.completion[]) TO pgattest_system;

COMMIT;
