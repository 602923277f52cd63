-- Verify pgattest:trustverdict/query on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'trustverdict.query(text, text, numeric, numeric, text, timestamptz, timestamptz, boolean, timestamptz, uuid, integer)', 'EXECUTE') THEN
        RAISE EXCEPTION 'trustverdict.query must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
