-- Verify pgattest:attestor/fail_submission on pg

BEGIN;

SELECT 'attestor.fail_submission(uuid, uuid, text, boolean)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.fail_submission(uuid, uuid, text, boolean)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.fail_submission is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', 'attestor.fail_submission(uuid, uuid, text, boolean)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.fail_submission must not be granted to pgattest_app';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.fail_submission(uuid, uuid, text, boolean)'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.fail_submission must be SECURITY DEFINER';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.fail_submission(uuid, uuid, text, boolean)'::regprocedure) <> 'pgattest_system'::regrole THEN
        RAISE EXCEPTION 'attestor.fail_submission must be owned by pgattest_system';
    END IF;
END
$verify$;

ROLLBACK;
