-- Verify pgattest:_pgattest/verify_stored_completions on pg

BEGIN;

DO $verify$
BEGIN
    -- The library must know the entry point (an empty batch exercises the dispatcher).
    IF (SELECT count(*) FROM _pgattest.verify_stored_completions('{}', '{}')) <> 0 THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions does not answer an empty batch with no rows';
    END IF;
    IF has_function_privilege('pgattest_worker', '_pgattest.verify_stored_completions(_pgattest.completion_item[], text)',
                              'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions must not be callable by pgattest_worker';
    END IF;
    IF NOT has_function_privilege('pgattest_system',
                                  '_pgattest.verify_stored_completions(_pgattest.completion_item[], text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions is not granted to pgattest_system, which completes';
    END IF;
    IF (SELECT proowner FROM pg_proc
         WHERE oid = '_pgattest.verify_stored_completions(_pgattest.completion_item[], text)'::regprocedure)
       <> 'pgattest_owner'::regrole THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions must be owned by pgattest_owner';
    END IF;
END
$verify$;

ROLLBACK;
