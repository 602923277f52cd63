-- Verify pgattest:verdict/append on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.append(text, text, text, text, uuid[], uuid[], uuid[], text[], text[])', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.append must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
