-- Revert pgattest:attestor/rekor_submission_queue_dead_index from pg

BEGIN;

DROP INDEX attestor.rekor_submission_queue_dead;

COMMIT;
