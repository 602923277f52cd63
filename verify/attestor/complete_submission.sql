-- Verify pgattest:attestor/complete_submission on pg

BEGIN;

SELECT 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.complete_submission(uuid, uuid, jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.complete_submission is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', 'attestor.complete_submission(uuid, uuid, jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not complete submissions';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure) <> 'pgattest_system'::regrole
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.complete_submission must be SECURITY DEFINER, owned by pgattest_system to work across tenants';
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure) NOT LIKE '%_pgattest.complete_claimed(%' THEN
        RAISE EXCEPTION 'attestor.complete_submission does not complete through _pgattest.complete_claimed';
    END IF;
    -- No per-call planning on the completion path.
    IF NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                      WHERE oid = 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure), false) THEN
        RAISE EXCEPTION 'attestor.complete_submission plans every call (no plan_cache_mode=force_generic_plan)';
    END IF;
END
$verify$;

ROLLBACK;
