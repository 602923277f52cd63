-- Deploy pgattest:attestor/rekor_submission_queue_dead_items to pg
-- requires: attestor/rekor_submission_queue
-- triage.queue_status() counts a tenant's dead items exactly; without an index that is a
-- scan of every item the tenant ever submitted. Dead items are few, so this partial index
-- is small, and it costs the queue's hot path nothing it does not already pay: state is
-- in the predicates of the existing partial indexes, so a state change is never a HOT
-- update anyway.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE INDEX rekor_submission_queue_dead ON attestor.rekor_submission_queue (tenant_id, created_at)
    WHERE state = 'dead';

COMMIT;
