-- Verify pgattest:attestor/rekor_submission_queue_dead_items on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = 'attestor.rekor_submission_queue_dead'::regclass
                    AND indrelid = 'attestor.rekor_submission_queue'::regclass AND indpred IS NOT NULL) THEN
        RAISE EXCEPTION 'the partial index of dead items on attestor.rekor_submission_queue is missing';
    END IF;
END
$verify$;

ROLLBACK;
