-- Verify pgattest:trustverdict/get on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'trustverdict.get(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'trustverdict.get must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
