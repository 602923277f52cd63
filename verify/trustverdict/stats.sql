-- Verify pgattest:trustverdict/stats on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'trustverdict.stats()', 'EXECUTE') THEN
        RAISE EXCEPTION 'trustverdict.stats must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
