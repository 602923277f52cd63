-- Verify pgattest:attestor/rekor_submission_queue_dead_index on pg

BEGIN;

DO $verify$
BEGIN
    IF to_regclass('attestor.rekor_submission_queue_dead') IS NULL THEN
        RAISE EXCEPTION 'index attestor.rekor_submission_queue_dead is missing';
    END IF;
END
$verify$;

ROLLBACK;
