-- Verify pgattest:verdict/verify on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.verify(bigint, bigint)', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.verify must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
