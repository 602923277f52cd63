-- Deploy pgattest:attestor/claim_submissions to pg
-- requires: attestor/rekor_submission_queue core/tenants proofchain/dsse_envelopes proofchain/trust_anchors
-- requires: attestor/transparency_logs attestor/rekor_submission_queue_leases
-- Workers claim due items across tenants, fairly, with FOR UPDATE SKIP LOCKED.
-- Fast on a long queue: the chosen rows are locked first and leased by id through the
-- index (joining the chosen ids to the queue hashed the whole queue), and an item whose
-- lease expired on its last allowed attempt ends dead in the same update; a batch with a
-- share of one item per tenant stops at as many tenants as it holds instead of locking
-- one item of each. No per-call planning: under the default plan cache mode a plpgsql
-- statement with parameters is planned anew on every call while the custom plans look
-- cheaper than the generic one, and at a batch of one the planning cost more than the
-- claim; so the statements are planned once per session (every lookup is by index,
-- whatever the parameters), the attempts setting is read inline, and the lease update
-- returns only the columns the result needs.
-- Reworked after v1.0.0 (issue 16): leases that expired are taken first, through the
-- index of claimed rows (attestor/rekor_submission_queue_leases). A claimed row's
-- next_attempt_at is its lease's end, later than every item queued before the claim, so
-- in the one oldest-due order a killed worker's items waited behind the whole backlog
-- (21 s past their lease in a fault run). The echoed worker id is truncated.

BEGIN;

-- No SET ROLE: the function belongs to pgattest_system, which pgattest_owner cannot
-- replace a function of; the deploying superuser creates it (and a rework, or the revert
-- of one, replaces it) and hands it over below.

CREATE OR REPLACE FUNCTION attestor.claim_submissions(worker_id text, max_items integer DEFAULT 10,
                                                      lease interval DEFAULT '5 minutes')
RETURNS TABLE (submission_id uuid, claim_token uuid, tenant_id text, envelope_id uuid, log_id text,
               api_version text, base_url text, envelope jsonb, verifier_pem text, attempts integer)
LANGUAGE plpgsql
SECURITY DEFINER
-- Planned once per session: a custom plan for every call costs more than a small claim.
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- _pgattest.setting_int's expression, inline (a SQL-function call is planned per transaction).
    max_attempts integer := coalesce(nullif(current_setting('pgattest.max_submission_attempts', true), '')::integer, 10);
    quota integer;
    chosen uuid[];
BEGIN
    IF worker_id IS NULL OR btrim(worker_id) = '' OR length(worker_id) > 200 THEN
        RAISE EXCEPTION 'invalid worker_id %', coalesce(quote_literal(left(worker_id, 80)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Identify the worker with 1 to 200 characters, e.g. host:pid.';
    END IF;
    IF max_items IS NULL OR max_items NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'invalid max_items %', coalesce(max_items::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Claim between 1 and 1000 items at a time.';
    END IF;
    IF lease IS NULL OR lease <= interval '0' OR lease > interval '1 day' THEN
        RAISE EXCEPTION 'invalid lease %', coalesce(lease::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'A lease is a positive interval of at most one day.';
    END IF;

    -- Expired leases first: their items were due when the lease ended (their worker died
    -- or stalled), and anything queued later can wait. Claimed rows are few (the index
    -- holds only them), so this costs a short index scan.
    chosen := ARRAY(
        SELECT q.id
          FROM attestor.rekor_submission_queue q
         WHERE q.state = 'claimed' AND q.next_attempt_at <= now()
         ORDER BY q.next_attempt_at
         LIMIT max_items
           FOR UPDATE SKIP LOCKED);
    IF cardinality(chosen) = max_items THEN
        quota := 0;
    -- Fair pass: every tenant with due work gets up to an equal share of the rest of the
    -- batch, so a tenant with 100,000 items cannot hold back one with 10 for more than a round.
    ELSIF max_items - cardinality(chosen) = 1 THEN
        quota := 1;
    ELSE
        SELECT greatest(1, ceil((max_items - cardinality(chosen))::numeric / greatest(count(*), 1)))::integer INTO quota
          FROM core.tenants t
         WHERE EXISTS (SELECT FROM attestor.rekor_submission_queue q
                        WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                          AND q.next_attempt_at <= now());
    END IF;

    -- Choose and lock first, update second: the update then finds its rows by id
    -- through the index instead of joining (and hashing) the whole queue.
    IF quota = 0 THEN
        NULL;  -- the batch is full of expired leases
    ELSIF quota = 1 THEN
        -- A share of one: the oldest due item of as many tenants as the batch holds, the
        -- tenants in random order (none is starved across rounds). The LIMIT stops the
        -- scan there, so a small batch does not visit, or lock, every tenant's queue.
        chosen := chosen || ARRAY(
            SELECT c.id
              FROM (SELECT t.tenant_id FROM core.tenants t ORDER BY random()) AS t
             CROSS JOIN LATERAL (
                   SELECT q.id
                     FROM attestor.rekor_submission_queue q
                    WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                      AND q.next_attempt_at <= now() AND q.id <> ALL (chosen)
                    ORDER BY q.next_attempt_at, q.created_at
                    LIMIT 1
                      FOR UPDATE SKIP LOCKED) AS c
             LIMIT max_items - cardinality(chosen));
    ELSE
        -- Round-robin by rank within tenant; ties (more tenants than the batch holds)
        -- go to a random tenant, so none is starved across rounds.
        chosen := chosen || ARRAY(
            WITH fair AS (
                SELECT c.tenant_id, c.id,
                       row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.next_attempt_at, c.created_at) AS rn
                  FROM core.tenants t
                 CROSS JOIN LATERAL (
                       SELECT q.tenant_id, q.id, q.next_attempt_at, q.created_at
                         FROM attestor.rekor_submission_queue q
                        WHERE q.tenant_id = t.tenant_id AND q.state IN ('pending', 'failed', 'claimed')
                          AND q.next_attempt_at <= now() AND q.id <> ALL (chosen)
                        ORDER BY q.next_attempt_at, q.created_at
                        LIMIT quota
                          FOR UPDATE SKIP LOCKED) c
            )
            SELECT f.id FROM fair f ORDER BY f.rn, random() LIMIT max_items - cardinality(chosen));
    END IF;
    IF cardinality(chosen) < max_items THEN
        -- The rest of the batch, oldest due first, from any tenant.
        chosen := chosen || ARRAY(
            SELECT q.id
              FROM attestor.rekor_submission_queue q
             WHERE q.state IN ('pending', 'failed', 'claimed') AND q.next_attempt_at <= now()
               AND q.id <> ALL (chosen)
             ORDER BY q.next_attempt_at, q.created_at
             LIMIT max_items - cardinality(chosen)
               FOR UPDATE SKIP LOCKED);
    END IF;

    RETURN QUERY
    WITH leased AS (
        -- An item whose lease expired on its last allowed attempt ends dead instead of
        -- cycling; every other chosen item is leased to this worker.
        UPDATE attestor.rekor_submission_queue q
           SET state            = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts THEN 'dead' ELSE 'claimed' END,
               attempts         = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts THEN q.attempts ELSE q.attempts + 1 END,
               claim_token      = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts THEN NULL ELSE gen_random_uuid() END,
               lease_owner      = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts THEN NULL ELSE worker_id END,
               lease_expires_at = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts THEN NULL ELSE now() + lease END,
               next_attempt_at  = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts THEN q.next_attempt_at ELSE now() + lease END,
               last_error       = CASE WHEN q.state = 'claimed' AND q.attempts >= max_attempts
                                       THEN concat_ws('; ', q.last_error, format('lease of %s expired on attempt %s', q.lease_owner, q.attempts))
                                       ELSE q.last_error END
         WHERE q.id = ANY (chosen)
        RETURNING q.id, q.claim_token, q.tenant_id, q.envelope_id, q.log_id, q.attempts, q.state, q.created_at
    )
    SELECT l.id, l.claim_token, l.tenant_id, l.envelope_id, l.log_id, tl.api_version, tl.base_url,
           e.envelope, a.public_key_pem, l.attempts
      FROM leased l
      JOIN proofchain.dsse_envelopes e ON e.tenant_id = l.tenant_id AND e.id = l.envelope_id
      JOIN proofchain.trust_anchors a ON a.tenant_id = e.tenant_id AND a.id = e.trust_anchor_id
      JOIN attestor.transparency_logs tl ON tl.log_id = l.log_id
     WHERE l.state = 'claimed'
     ORDER BY l.tenant_id, l.created_at;
END
$$;

COMMENT ON FUNCTION attestor.claim_submissions(text, integer, interval) IS
    'Claims up to max_items due queue items across tenants for worker_id and returns them with a claim token, the envelope, the log to submit to and the signer''s public key. Uses FOR UPDATE SKIP LOCKED, so concurrent workers never claim the same item. Fair across tenants: each tenant with due work gets an equal share of the batch first, oldest first within a tenant; the rest of the batch goes oldest first. Due means new, a retry whose backoff has passed, or a lease that expired (its worker died); expired leases are claimed before any other due item. A worker keeps its leases with attestor.renew_leases and hands them back with attestor.release_submissions. For pgattest_worker. Raises 22023 for a blank worker_id, max_items outside 1..1000 or a lease outside (0, 1 day].';
REVOKE ALL ON FUNCTION attestor.claim_submissions(text, integer, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.claim_submissions(text, integer, interval) TO pgattest_worker;

-- pgattest_system owns the cross-tenant worker functions (it bypasses RLS) and holds
-- exactly the privileges they use. Handing them over takes the deploying superuser.
RESET ROLE;
ALTER FUNCTION attestor.claim_submissions(text, integer, interval) OWNER TO pgattest_system;
-- (Its reads of core.tenants and proofchain.trust_anchors, like every privilege of
-- pgattest_system on a table, are granted with the table.)

COMMIT;
