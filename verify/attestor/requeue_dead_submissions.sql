-- Verify pgattest:attestor/requeue_dead_submissions on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'attestor.requeue_dead_submissions(text, timestamptz, timestamptz, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'attestor.requeue_dead_submissions(text, timestamptz, timestamptz, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.requeue_dead_submissions must be executable by pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
