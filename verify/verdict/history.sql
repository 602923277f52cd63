-- Verify pgattest:verdict/history on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.history(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.history must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
