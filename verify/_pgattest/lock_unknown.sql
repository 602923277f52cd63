-- Verify pgattest:_pgattest/lock_unknown on pg

BEGIN;

SELECT '_pgattest.lock_unknown(uuid)'::regprocedure;
DO $verify$
BEGIN
    IF has_function_privilege('pgattest_app', '_pgattest.lock_unknown(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute _pgattest.lock_unknown';
    END IF;
END
$verify$;

ROLLBACK;
