-- Deploy pgattest:attestor/requeue_dead_submissions to pg
-- requires: roles schemas attestor/rekor_submission_queue core/require_tenant attestor/transparency_log_events
-- A misconfigured log (a wrong key name, a window set too narrow) sends every item it
-- completes to dead; once an admin has corrected it, the items of that log that died in
-- the time range are revived in one statement. Row security scopes it to the current
-- tenant, as attestor.requeue_submission; the log's audit trail records it.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.requeue_dead_submissions(log_id text, dead_from timestamptz,
                                                             dead_until timestamptz DEFAULT now(), reason text DEFAULT NULL)
RETURNS TABLE (submission_id uuid, last_error text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := coalesce(nullif(current_setting('app.actor', true), ''), session_user);
    tenant text := core.require_tenant();
    revived integer;
BEGIN
    IF log_id IS NULL OR dead_from IS NULL OR dead_until IS NULL THEN
        RAISE EXCEPTION 'log_id, dead_from and dead_until are required' USING ERRCODE = '22004',
            HINT = 'Name the log and the time range in which its items went dead.';
    END IF;
    IF dead_until < dead_from THEN
        RAISE EXCEPTION 'dead_until % is before dead_from %', dead_until, dead_from
            USING ERRCODE = '22023', HINT = 'The range is [dead_from, dead_until].';
    END IF;
    IF NOT EXISTS (SELECT FROM attestor.transparency_logs l WHERE l.log_id = requeue_dead_submissions.log_id) THEN
        RAISE EXCEPTION 'unknown transparency log %', left(log_id, 80)
            USING ERRCODE = '22023', HINT = 'See attestor.transparency_logs.';
    END IF;
    -- A dead item is not updated again until it is requeued: its updated_at is when it died.
    RETURN QUERY
    WITH requeued AS (
        UPDATE attestor.rekor_submission_queue q
           SET state = 'pending', attempts = 0, next_attempt_at = now(),
               last_error = format('requeued by %s after: %s', actor, q.last_error)
         WHERE q.log_id = requeue_dead_submissions.log_id AND q.state = 'dead'
           AND q.updated_at BETWEEN dead_from AND dead_until
        RETURNING q.id, q.last_error
    )
    SELECT r.id, r.last_error FROM requeued r ORDER BY r.id;
    GET DIAGNOSTICS revived = ROW_COUNT;
    IF revived > 0 THEN
        INSERT INTO attestor.transparency_log_events (log_id, action, actor, changes, reason)
        VALUES (log_id, 'requeue_dead', actor,
                jsonb_build_object('tenant_id', tenant, 'requeued', revived, 'dead_from', dead_from, 'dead_until', dead_until),
                reason);
    END IF;
END
$$;

COMMENT ON FUNCTION attestor.requeue_dead_submissions(text, timestamptz, timestamptz, text) IS
    'Puts the current tenant''s submissions to log_id that went dead between dead_from and dead_until (both included) back in the queue with their attempts reset, returning each one''s id and error (now prefixed by who requeued it), and records the requeue in attestor.transparency_log_events. For pgattest_admin, after correcting a misconfigured log. Raises 42501 without a tenant, 22004 for a NULL argument, 22023 for an unknown log or a range that ends before it starts.';
REVOKE ALL ON FUNCTION attestor.requeue_dead_submissions(text, timestamptz, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.requeue_dead_submissions(text, timestamptz, timestamptz, text) TO pgattest_admin;

COMMIT;
