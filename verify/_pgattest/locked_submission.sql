-- Verify pgattest:_pgattest/locked_submission on pg

BEGIN;

SELECT '_pgattest.locked_submission(uuid)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_system', '_pgattest.locked_submission(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.locked_submission is not granted to pgattest_system';
    END IF;
    IF has_function_privilege('pgattest_worker', '_pgattest.locked_submission(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.locked_submission must not be granted to pgattest_worker';
    END IF;
END
$verify$;

ROLLBACK;
