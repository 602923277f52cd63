-- Verify pgattest:unknowns/correct on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'unknowns.correct(uuid, timestamptz, timestamptz, text, text, text, jsonb, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute unknowns.correct';
    END IF;
END
$verify$;

ROLLBACK;
