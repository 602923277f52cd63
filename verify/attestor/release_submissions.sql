-- Verify pgattest:attestor/release_submissions on pg

BEGIN;

DO $verify$
DECLARE
    f regprocedure := 'attestor.release_submissions(text, uuid[])'::regprocedure;
BEGIN
    IF NOT has_function_privilege('pgattest_worker', f, 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.release_submissions is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', f, 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not release submissions';
    END IF;
    IF (SELECT proowner <> 'pgattest_system'::regrole OR NOT prosecdef FROM pg_proc WHERE oid = f) THEN
        RAISE EXCEPTION 'attestor.release_submissions must be SECURITY DEFINER, owned by pgattest_system';
    END IF;
END
$verify$;

ROLLBACK;
