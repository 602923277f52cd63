-- Revert pgattest:attestor/rekor_submission_queue_leases from pg
-- (An index: dropping it keeps every row.)

BEGIN;

DROP INDEX attestor.rekor_submission_queue_leases;

COMMIT;
