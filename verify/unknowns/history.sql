-- Verify pgattest:unknowns/history on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'unknowns.history(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute unknowns.history';
    END IF;
END
$verify$;

ROLLBACK;
