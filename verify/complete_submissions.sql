-- Verify pgattest:complete_submissions on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.complete_submissions(jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.complete_submissions is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', 'attestor.complete_submissions(jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not complete submissions';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure)
       <> 'pgattest_system'::regrole THEN
        RAISE EXCEPTION 'attestor.complete_submissions must be owned by pgattest_system to work across tenants';
    END IF;
    -- The library must know the entry point (an empty batch exercises the dispatcher).
    IF _pgattest.verify_submissions('{"roots": {}, "items": []}') <> '[]'::jsonb THEN
        RAISE EXCEPTION '_pgattest.verify_submissions does not answer an empty batch with []';
    END IF;
END
$verify$;

ROLLBACK;
