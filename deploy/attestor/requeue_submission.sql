-- Deploy pgattest:attestor/requeue_submission to pg
-- requires: attestor/rekor_submission_queue core/require_tenant
-- An admin revives a dead item of the current tenant (row-level security scopes the
-- update to the tenant).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.requeue_submission(submission_id uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM core.require_tenant();
    UPDATE attestor.rekor_submission_queue q
       SET state = 'pending', attempts = 0, next_attempt_at = now(),
           last_error = format('requeued by %s after: %s',
                               coalesce(nullif(current_setting('app.actor', true), ''), session_user), q.last_error)
     WHERE q.id = submission_id AND q.state = 'dead';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no dead submission % for this tenant', submission_id
            USING ERRCODE = '55000', HINT = 'Only dead items are requeued; see state in attestor.rekor_submission_queue.';
    END IF;
END
$$;

COMMENT ON FUNCTION attestor.requeue_submission(uuid) IS
    'Puts a dead submission of the current tenant back in the queue with its attempts reset. For pgattest_admin. Raises 42501 without a tenant, 55000 when the item is not dead (or not the tenant''s).';
REVOKE ALL ON FUNCTION attestor.requeue_submission(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.requeue_submission(uuid) TO pgattest_admin;

COMMIT;
