-- Verify pgattest:_pgattest/split_unknown on pg

BEGIN;

SELECT '_pgattest.split_unknown(text, uuid, timestamptz)'::regprocedure;
DO $verify$
BEGIN
    IF has_function_privilege('pgattest_app', '_pgattest.split_unknown(text, uuid, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute _pgattest.split_unknown';
    END IF;
END
$verify$;

ROLLBACK;
