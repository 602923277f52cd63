-- Verify pgattest:unknowns/record on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'unknowns.record(text, text, text, jsonb, timestamptz, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute unknowns.record';
    END IF;
END
$verify$;

ROLLBACK;
