-- Verify pgattest:_pgattest/require_lease on pg

BEGIN;

SELECT '_pgattest.require_lease(attestor.rekor_submission_queue, uuid)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_system', '_pgattest.require_lease(attestor.rekor_submission_queue, uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.require_lease is not granted to pgattest_system';
    END IF;
    IF has_function_privilege('pgattest_worker', '_pgattest.require_lease(attestor.rekor_submission_queue, uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.require_lease must not be granted to pgattest_worker';
    END IF;
END
$verify$;

ROLLBACK;
