-- Verify pgattest:trustverdict/store on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'trustverdict.store(jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'trustverdict.store must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
