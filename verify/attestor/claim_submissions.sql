-- Verify pgattest:attestor/claim_submissions on pg

BEGIN;

SELECT 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.claim_submissions(text, integer, interval, text[])', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.claim_submissions is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', 'attestor.claim_submissions(text, integer, interval, text[])', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not claim submissions';
    END IF;
    IF (SELECT proowner FROM pg_proc WHERE oid = 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure) <> 'pgattest_system'::regrole
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.claim_submissions must be SECURITY DEFINER, owned by pgattest_system to work across tenants';
    END IF;
    IF NOT has_table_privilege('pgattest_system', 'core.tenants', 'SELECT')
       OR NOT has_table_privilege('pgattest_system', 'proofchain.trust_anchors', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_system cannot read core.tenants and proofchain.trust_anchors, which the claim reads';
    END IF;
    -- Rows are leased by id through the index, not joined to the whole queue.
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure) NOT LIKE '%q.id = ANY (chosen)%' THEN
        RAISE EXCEPTION 'attestor.claim_submissions joins the chosen rows to the whole queue';
    END IF;
    -- Expired leases are claimed before any other due item (issue 16).
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure) NOT LIKE '%q.state = ''claimed'' AND q.next_attempt_at <= now()%' THEN
        RAISE EXCEPTION 'attestor.claim_submissions does not take expired leases first';
    END IF;
    -- Skips the logs it is told to, in every pass (the expired leases', the fair one's two
    -- and the rest's), and no three-argument overload is left to make calls ambiguous.
    IF (SELECT count(*) FROM regexp_matches((SELECT prosrc FROM pg_proc
                                              WHERE oid = 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure),
                                             'q\.log_id <> ALL \(skip_logs\)', 'g')) < 4 THEN
        RAISE EXCEPTION 'attestor.claim_submissions does not skip the logs in skip_logs in every pass';
    END IF;
    IF to_regprocedure('attestor.claim_submissions(text, integer, interval)') IS NOT NULL THEN
        RAISE EXCEPTION 'attestor.claim_submissions(text, integer, interval) still exists beside the four-argument claim';
    END IF;
    -- Planned once per session.
    IF NOT coalesce((SELECT 'plan_cache_mode=force_generic_plan' = ANY (proconfig) FROM pg_proc
                      WHERE oid = 'attestor.claim_submissions(text, integer, interval, text[])'::regprocedure), false) THEN
        RAISE EXCEPTION 'attestor.claim_submissions plans every call (no plan_cache_mode=force_generic_plan)';
    END IF;
END
$verify$;

ROLLBACK;
