-- Verify pgattest:submission_queue (the rework after v0.2.0) on pg

BEGIN;

SELECT id, tenant_id, envelope_id, log_id, state, attempts, next_attempt_at, lease_owner, lease_expires_at,
       claim_token, last_error, rekor_entry_id, submitted_at FROM attestor.rekor_submission_queue WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.claim_submissions(text, integer, interval)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_worker', 'attestor.complete_submission(uuid, uuid, jsonb)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_worker', 'attestor.fail_submission(uuid, uuid, text, boolean)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'attestor.submit_envelope(jsonb, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'queue functions are not granted to their roles';
    END IF;
    IF has_function_privilege('pgattest_app', 'attestor.claim_submissions(text, integer, interval)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not claim submissions';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.claim_submissions(text, integer, interval)'::regprocedure)
       <> 'pgattest_system'::regrole THEN
        RAISE EXCEPTION 'attestor.claim_submissions must be owned by pgattest_system to work across tenants';
    END IF;
    -- The rework: rows are leased by id through the index, not joined to the whole queue.
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.claim_submissions(text, integer, interval)'::regprocedure)
       NOT LIKE '%q.id = ANY (chosen)%' THEN
        RAISE EXCEPTION 'attestor.claim_submissions is still the v0.1.0 version';
    END IF;
    -- The rework after v0.2.0: planned once per session.
    IF NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                      WHERE oid = 'attestor.claim_submissions(text, integer, interval)'::regprocedure), false) THEN
        RAISE EXCEPTION 'attestor.claim_submissions is still the v0.2.0 version (plans every call)';
    END IF;
END
$verify$;

ROLLBACK;
