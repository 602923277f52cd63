-- Deploy pgattest:attestor/release_submissions to pg
-- requires: attestor/rekor_submission_queue attestor/rekor_submission_queue_leases
-- A stopping worker (SIGTERM) hands back the items it holds but will not finish: they
-- are due at once for another worker instead of waiting for their lease to expire, and
-- the attempt the claim counted is given back (the item was not tried, or its try was
-- cut short; a resubmission is idempotent at the log). Only the worker holding a lease
-- can release it. Owned by pgattest_system: workers hold no tenant.

BEGIN;

-- No SET ROLE: created by the deploying superuser and handed to pgattest_system below,
-- like the other cross-tenant worker functions.

CREATE OR REPLACE FUNCTION attestor.release_submissions(worker_id text, claim_tokens uuid[])
RETURNS TABLE (submission_id uuid, state text)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF worker_id IS NULL OR btrim(worker_id) = '' OR length(worker_id) > 200 THEN
        RAISE EXCEPTION 'invalid worker_id %', coalesce(quote_literal(left(worker_id, 80)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the worker_id the items were claimed with.';
    END IF;
    IF claim_tokens IS NULL OR array_position(claim_tokens, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'claim_tokens is NULL or holds a NULL'
            USING ERRCODE = '22004', HINT = 'Pass the claim tokens attestor.claim_submissions returned.';
    END IF;
    IF cardinality(claim_tokens) > 10000 THEN
        RAISE EXCEPTION 'too many claim tokens: %', cardinality(claim_tokens)
            USING ERRCODE = '22023', HINT = 'Release at most 10,000 claims per call.';
    END IF;
    -- Back to the state before the claim: pending when it had never been tried, failed
    -- (its last error kept) otherwise; due now.
    RETURN QUERY
    UPDATE attestor.rekor_submission_queue q
       SET state = CASE WHEN q.attempts <= 1 THEN 'pending' ELSE 'failed' END,
           attempts = greatest(q.attempts - 1, 0),
           claim_token = NULL, lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = now()
     WHERE q.state = 'claimed' AND q.claim_token = ANY (claim_tokens) AND q.lease_owner = worker_id
    RETURNING q.id, q.state;
END
$$;

COMMENT ON FUNCTION attestor.release_submissions(text, uuid[]) IS
    'Hands back the claims that worker_id holds among claim_tokens (tokens from attestor.claim_submissions), without counting the attempt: each item is due again at once (pending, or failed with its last error when it had been tried before), so another worker takes it without waiting for the lease to expire. Returns (submission_id, state) of the items released; a token not returned was no longer held. A worker stopping on SIGTERM calls it for what it will not finish. For pgattest_worker. Raises 22023 for a blank worker_id or more than 10,000 tokens, 22004 for NULL tokens.';
REVOKE ALL ON FUNCTION attestor.release_submissions(text, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.release_submissions(text, uuid[]) TO pgattest_worker;

RESET ROLE;
ALTER FUNCTION attestor.release_submissions(text, uuid[]) OWNER TO pgattest_system;

COMMIT;
