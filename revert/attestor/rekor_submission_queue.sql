-- Revert pgattest:attestor/rekor_submission_queue from pg

BEGIN;

DROP TABLE attestor.rekor_submission_queue;

COMMIT;
