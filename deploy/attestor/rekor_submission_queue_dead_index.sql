-- Deploy pgattest:attestor/rekor_submission_queue_dead_index to pg
-- requires: attestor/rekor_submission_queue
-- Dead items are few and an operator's business: health.metrics() counts them on every
-- scrape, and a requeue looks them up by log and time. Without an index both read the
-- whole queue, most of which is submitted history.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE INDEX rekor_submission_queue_dead ON attestor.rekor_submission_queue (log_id, updated_at)
    WHERE state = 'dead';

COMMIT;
