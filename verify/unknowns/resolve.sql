-- Verify pgattest:unknowns/resolve on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'unknowns.resolve(uuid, text, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute unknowns.resolve';
    END IF;
END
$verify$;

ROLLBACK;
