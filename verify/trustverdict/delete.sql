-- Verify pgattest:trustverdict/delete on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'trustverdict.delete(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'trustverdict.delete must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
