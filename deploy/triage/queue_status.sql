-- Deploy pgattest:triage/queue_status to pg
-- requires: core/require_tenant attestor/rekor_submission_queue attestor/rekor_submission_queue_dead_items
-- Submission queue depth, oldest pending age and dead items: an exact query, not a
-- materialized view and not a maintained summary table. An operator acts on these
-- figures (is the worker keeping up, did items die, requeue them) and must see what
-- claim and requeue will see in the same transaction; a view is up to one refresh
-- stale, and a summary table kept by triggers would put one hot counter row per tenant
-- on every enqueue, claim, completion and failure, serializing the workers' batches.
-- Depth and age read the queue's partial index of ready items, dead items the partial
-- index of dead ones (attestor/rekor_submission_queue_dead_items): both index-only. Invoker's rights: the caller
-- reads the queue under its row-level security (pgattest_app has SELECT on it).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION triage.queue_status()
RETURNS TABLE (depth bigint, oldest_pending_at timestamptz, oldest_pending_age interval, dead bigint, as_of timestamptz)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH tenant AS (SELECT core.require_tenant() AS tenant_id),
    waiting AS (
        SELECT count(*) AS depth, min(q.created_at) AS oldest
          FROM attestor.rekor_submission_queue q
         WHERE q.tenant_id = (SELECT tenant_id FROM tenant) AND q.state IN ('pending', 'failed', 'claimed')
    ), dead AS (
        SELECT count(*) AS dead
          FROM attestor.rekor_submission_queue q
         WHERE q.tenant_id = (SELECT tenant_id FROM tenant) AND q.state = 'dead'
    )
    SELECT w.depth, w.oldest, now() - w.oldest, d.dead, now() FROM waiting w, dead d
$$;

COMMENT ON FUNCTION triage.queue_status() IS
    'The current tenant''s Rekor submission queue, exact within the transaction (as_of = now()): depth (items pending, claimed, or failed and waiting to be retried), when the oldest of them was enqueued and its age, and dead items (attestor.requeue_submission revives them). Raises 42501 without a tenant.';

REVOKE ALL ON FUNCTION triage.queue_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION triage.queue_status() TO pgattest_app, pgattest_admin;

COMMIT;
