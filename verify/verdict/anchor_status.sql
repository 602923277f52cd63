-- Verify pgattest:verdict/anchor_status on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.anchor_status()', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.anchor_status must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
