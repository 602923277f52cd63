-- Verify pgattest:complete_submissions (the rework after v0.2.1) on pg

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
    -- The library must know the entry points (an empty batch exercises the dispatcher).
    IF (SELECT count(*) FROM _pgattest.verify_completions('{}', '{}', '{}', '{}', '{}')) <> 0 THEN
        RAISE EXCEPTION '_pgattest.verify_completions does not answer an empty batch with no rows';
    END IF;
    IF (SELECT count(*) FROM _pgattest.verify_stored_completions('{}', '{}', '{}', '{}', '{}', '{}', '{}')) <> 0 THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions does not answer an empty batch with no rows';
    END IF;
    IF has_function_privilege('pgattest_worker',
                              '_pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text)',
                              'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions must not be callable by pgattest_worker';
    END IF;
    IF NOT has_function_privilege('pgattest_system',
                                  '_pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text)',
                                  'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions is not granted to pgattest_system, which completes';
    END IF;
    IF (SELECT proowner FROM pg_proc
         WHERE oid = '_pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text)'::regprocedure)
       <> 'pgattest_owner'::regrole THEN
        RAISE EXCEPTION '_pgattest.verify_stored_completions must be owned by pgattest_owner';
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure)
       NOT LIKE '%_pgattest.complete_claimed(%' THEN
        RAISE EXCEPTION 'attestor.complete_submission does not complete through _pgattest.complete_claimed';
    END IF;
    -- Both verification paths read a log's window alike: whole seconds, 'infinity' bounds.
    IF (SELECT (w.start_epoch, w.end_epoch)::text FROM _pgattest.log_validity('infinity', 'infinity') AS w)
       <> '(253402300799,)' THEN
        RAISE EXCEPTION '_pgattest.log_validity does not read infinite bounds as never started and open';
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.trusted_root(text)'::regprocedure)
       NOT LIKE '%_pgattest.log_validity(%' THEN
        RAISE EXCEPTION 'attestor.trusted_root does not read the window through _pgattest.log_validity';
    END IF;
    -- The rework after v0.2.1: the completion verifies against the stored envelope columns.
    IF (SELECT prosrc FROM pg_proc WHERE oid = '_pgattest.complete_claimed(uuid[], uuid[], jsonb[])'::regprocedure)
       NOT LIKE '%_pgattest.verify_stored_completions(%' THEN
        RAISE EXCEPTION '_pgattest.complete_claimed is still the v0.2.1 version (envelopes as JSON)';
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure)
       NOT LIKE '%::uuid::text = lower(%' THEN
        RAISE EXCEPTION 'attestor.complete_submissions is still the v0.2.1 version (ids checked by pattern)';
    END IF;
    -- The rework after v0.2.0: no per-call planning on the completion path.
    IF (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE p.oid = '_pgattest.log_validity(timestamptz, timestamptz)'::regprocedure) <> 'plpgsql' THEN
        RAISE EXCEPTION '_pgattest.log_validity is still the v0.2.0 SQL function (planned at every call)';
    END IF;
    IF NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                      WHERE oid = 'attestor.complete_submissions(jsonb)'::regprocedure), false)
       OR NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                         WHERE oid = 'attestor.complete_submission(uuid, uuid, jsonb)'::regprocedure), false) THEN
        RAISE EXCEPTION 'attestor.complete_submissions is still the v0.2.0 version (plans every call)';
    END IF;
END
$verify$;

ROLLBACK;
