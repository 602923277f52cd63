-- Verify pgattest:attestor/record_checkpoint on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.record_checkpoint(text, text, bytea[])', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_admin', 'attestor.record_checkpoint(text, text, bytea[])', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'attestor.record_checkpoint(text, text, bytea[])', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.record_checkpoint must be executable by pgattest_worker and pgattest_admin only';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.record_checkpoint(text, text, bytea[])'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.record_checkpoint must be SECURITY DEFINER';
    END IF;
END
$verify$;

ROLLBACK;
