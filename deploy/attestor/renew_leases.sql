-- Deploy pgattest:attestor/renew_leases to pg
-- requires: attestor/rekor_submission_queue attestor/rekor_submission_queue_leases
-- A worker keeps the leases of the items it still works on. Without renewal a batch
-- that outlasted its lease (a slow log, Retry-After pauses) was claimed again by other
-- workers while its first worker was still submitting it, again and again until the
-- items ran out of attempts (200 of 1,500 dead in a fault run, all of them in the log).
-- Leases are found by token among the claimed rows (the partial index of leases), and
-- only the worker that holds a lease can renew it. Owned by pgattest_system: workers
-- hold no tenant.

BEGIN;

-- No SET ROLE: created by the deploying superuser and handed to pgattest_system below,
-- like the other cross-tenant worker functions.

CREATE OR REPLACE FUNCTION attestor.renew_leases(worker_id text, claim_tokens uuid[], lease interval DEFAULT '5 minutes')
RETURNS TABLE (submission_id uuid, claim_token uuid, lease_expires_at timestamptz)
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
            USING ERRCODE = '22023', HINT = 'Renew at most 10,000 leases per call.';
    END IF;
    IF lease IS NULL OR lease <= interval '0' OR lease > interval '1 day' THEN
        RAISE EXCEPTION 'invalid lease %', coalesce(left(lease::text, 80), 'NULL')
            USING ERRCODE = '22023', HINT = 'A lease is a positive interval of at most one day.';
    END IF;
    -- A lease that ran out but was not claimed again is still this worker's (a new claim
    -- changes the token), so it is renewed too.
    RETURN QUERY
    UPDATE attestor.rekor_submission_queue q
       SET lease_expires_at = now() + lease, next_attempt_at = now() + lease
     WHERE q.state = 'claimed' AND q.claim_token = ANY (claim_tokens) AND q.lease_owner = worker_id
    RETURNING q.id, q.claim_token, q.lease_expires_at;
END
$$;

COMMENT ON FUNCTION attestor.renew_leases(text, uuid[], interval) IS
    'Extends to now() + lease the leases that worker_id still holds among claim_tokens (tokens from attestor.claim_submissions) and returns them (submission_id, claim_token, lease_expires_at); a token not returned is lost (the item was completed, failed, released or claimed again), and its item must be dropped. Workers renew while a batch is at the log, so a slow log does not make other workers claim the same items. For pgattest_worker. Raises 22023 for a blank worker_id, more than 10,000 tokens or a lease outside (0, 1 day], 22004 for NULL tokens.';
REVOKE ALL ON FUNCTION attestor.renew_leases(text, uuid[], interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.renew_leases(text, uuid[], interval) TO pgattest_worker;

RESET ROLE;
ALTER FUNCTION attestor.renew_leases(text, uuid[], interval) OWNER TO pgattest_system;

COMMIT;
