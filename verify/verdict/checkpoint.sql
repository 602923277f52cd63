-- Verify pgattest:verdict/checkpoint on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.checkpoint()', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.checkpoint must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
