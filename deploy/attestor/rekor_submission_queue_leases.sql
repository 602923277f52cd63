-- Deploy pgattest:attestor/rekor_submission_queue_leases to pg
-- requires: attestor/rekor_submission_queue
-- The claimed rows by lease expiry. Only items in flight are claimed (a few hundred at
-- most), so the index stays small however long the backlog, and it serves the three
-- lookups of leases: attestor.claim_submissions takes expired leases before any other
-- due item (ordering the whole due queue by anything but next_attempt_at would sort it
-- at every claim), and attestor.renew_leases and attestor.release_submissions find a
-- worker's leases by token among the claimed rows alone.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE INDEX rekor_submission_queue_leases ON attestor.rekor_submission_queue (next_attempt_at)
    WHERE state = 'claimed';

COMMENT ON INDEX attestor.rekor_submission_queue_leases IS
    'The claimed rows by lease expiry (next_attempt_at is the lease end while claimed): expired leases first in attestor.claim_submissions; leases by token in attestor.renew_leases and attestor.release_submissions.';

COMMIT;
