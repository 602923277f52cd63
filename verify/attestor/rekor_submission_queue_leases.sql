-- Verify pgattest:attestor/rekor_submission_queue_leases on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_index i
                    WHERE i.indexrelid = to_regclass('attestor.rekor_submission_queue_leases')
                      AND i.indrelid = 'attestor.rekor_submission_queue'::regclass
                      AND pg_get_expr(i.indpred, i.indrelid) LIKE '%claimed%') THEN
        RAISE EXCEPTION 'attestor.rekor_submission_queue_leases (claimed rows by lease expiry) is missing';
    END IF;
END
$verify$;

ROLLBACK;
