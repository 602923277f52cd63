-- Verify pgattest:attestor/requeue_submission on pg

BEGIN;

SELECT 'attestor.requeue_submission(uuid)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'attestor.requeue_submission(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.requeue_submission is not granted to pgattest_admin';
    END IF;
    IF has_function_privilege('pgattest_worker', 'attestor.requeue_submission(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.requeue_submission must not be granted to pgattest_worker';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.requeue_submission(uuid)'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.requeue_submission must be SECURITY DEFINER';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.requeue_submission(uuid)'::regprocedure) <> 'pgattest_owner'::regrole THEN
        RAISE EXCEPTION 'attestor.requeue_submission must be owned by pgattest_owner';
    END IF;
END
$verify$;

ROLLBACK;
