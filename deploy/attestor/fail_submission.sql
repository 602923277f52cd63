-- Deploy pgattest:attestor/fail_submission to pg
-- requires: attestor/rekor_submission_queue _pgattest/locked_submission _pgattest/require_lease _pgattest/setting_int
-- A worker reports a failed attempt: the item is retried after exponential backoff with
-- jitter, or ends dead. Owned by pgattest_system: workers hold no tenant.

BEGIN;

-- No SET ROLE: the function belongs to pgattest_system, which pgattest_owner cannot
-- replace a function of; the deploying superuser creates it (and a rework, or the revert
-- of one, replaces it) and hands it over below.

CREATE OR REPLACE FUNCTION attestor.fail_submission(submission_id uuid, claim_token uuid, error text, retryable boolean DEFAULT true)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item attestor.rekor_submission_queue := _pgattest.locked_submission(submission_id);
    max_attempts integer := _pgattest.setting_int('pgattest.max_submission_attempts', 10);
    base_seconds integer := _pgattest.setting_int('pgattest.retry_base_seconds', 5);
    cap_seconds integer := _pgattest.setting_int('pgattest.retry_max_seconds', 3600);
    backoff double precision;
    outcome text;
BEGIN
    PERFORM _pgattest.require_lease(item, claim_token);
    IF error IS NULL OR btrim(error) = '' THEN
        RAISE EXCEPTION 'a failure of submission % needs an error message', item.id
            USING ERRCODE = '22023', HINT = 'Say what went wrong: it is kept in last_error.';
    END IF;
    -- Exponential backoff with "equal jitter": half fixed, half random, capped.
    backoff := least(cap_seconds, base_seconds * power(2, greatest(item.attempts - 1, 0)));
    backoff := backoff / 2 + random() * backoff / 2;
    outcome := CASE WHEN NOT coalesce(retryable, true) OR item.attempts >= max_attempts THEN 'dead' ELSE 'failed' END;
    UPDATE attestor.rekor_submission_queue q
       SET state = outcome, claim_token = NULL, lease_owner = NULL, lease_expires_at = NULL,
           last_error = left(error, 4000),
           next_attempt_at = CASE WHEN outcome = 'failed' THEN now() + make_interval(secs => backoff) ELSE q.next_attempt_at END
     WHERE q.tenant_id = item.tenant_id AND q.id = item.id;
    RETURN outcome;
END
$$;

COMMENT ON FUNCTION attestor.fail_submission(uuid, uuid, text, boolean) IS
    'Records a failed attempt of a claimed submission and returns the new state: failed (retried after exponential backoff with jitter: pgattest.retry_base_seconds * 2^(attempts-1), capped at pgattest.retry_max_seconds) or dead (not retryable, or pgattest.max_submission_attempts reached). For pgattest_worker. Raises 22023 for an unknown submission or an empty error, 55000 for a stale claim token.';
REVOKE ALL ON FUNCTION attestor.fail_submission(uuid, uuid, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.fail_submission(uuid, uuid, text, boolean) TO pgattest_worker;

-- pgattest_system owns the cross-tenant worker functions (it bypasses RLS) and holds
-- exactly the privileges they use. Handing them over takes the deploying superuser.
RESET ROLE;
ALTER FUNCTION attestor.fail_submission(uuid, uuid, text, boolean) OWNER TO pgattest_system;

COMMIT;
