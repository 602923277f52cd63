-- Verify pgattest:attestor/complete_submissions on pg

BEGIN;

SELECT 'attestor.complete_submissions(jsonb)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.complete_submissions(jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.complete_submissions is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', 'attestor.complete_submissions(jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not complete submissions';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure) <> 'pgattest_system'::regrole
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.complete_submissions must be SECURITY DEFINER, owned by pgattest_system to work across tenants';
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure) NOT LIKE '%_pgattest.complete_claimed(%' THEN
        RAISE EXCEPTION 'attestor.complete_submissions does not complete through _pgattest.complete_claimed';
    END IF;
    -- No per-call planning on the completion path.
    IF NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                      WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure), false) THEN
        RAISE EXCEPTION 'attestor.complete_submissions plans every call (no plan_cache_mode=force_generic_plan)';
    END IF;
    -- Ids and tokens are checked by cast, not by two regular expressions per item.
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure)
       NOT LIKE '%::uuid::text = lower(%' THEN
        RAISE EXCEPTION 'attestor.complete_submissions checks ids by pattern, not by cast';
    END IF;
END
$verify$;

ROLLBACK;
