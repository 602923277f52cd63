-- Verify pgattest:verdict/current on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.current(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.current must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
