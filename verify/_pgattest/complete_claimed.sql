-- Verify pgattest:_pgattest/complete_claimed on pg

BEGIN;

SELECT '_pgattest.complete_claimed(_pgattest.completion[])'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_system', '_pgattest.complete_claimed(_pgattest.completion[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.complete_claimed is not granted to pgattest_system, which completes';
    END IF;
    IF has_function_privilege('pgattest_worker', '_pgattest.complete_claimed(_pgattest.completion[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.complete_claimed must not be callable by pgattest_worker';
    END IF;
    -- The completion verifies against the stored envelope columns, typed rows in one call.
    IF (SELECT prosrc FROM pg_proc WHERE oid = '_pgattest.complete_claimed(_pgattest.completion[])'::regprocedure)
       NOT LIKE '%_pgattest.verify_stored_completions(claimed, %' THEN
        RAISE EXCEPTION '_pgattest.complete_claimed does not verify its typed items with _pgattest.verify_stored_completions';
    END IF;
    IF NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                      WHERE oid = '_pgattest.complete_claimed(_pgattest.completion[])'::regprocedure), false) THEN
        RAISE EXCEPTION '_pgattest.complete_claimed plans every call (no plan_cache_mode=force_generic_plan)';
    END IF;
END
$verify$;

ROLLBACK;
