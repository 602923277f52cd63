-- Verify pgattest:attestor/rekor_submission_queue on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, envelope_id, log_id, state, attempts, next_attempt_at, lease_owner,
       lease_expires_at, claim_token, last_error, rekor_entry_id, submitted_at
  FROM attestor.rekor_submission_queue WHERE false;

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class
             WHERE oid = 'attestor.rekor_submission_queue'::regclass) THEN
        RAISE EXCEPTION 'attestor.rekor_submission_queue is not under forced row-level security';
    END IF;
    IF NOT has_table_privilege('pgattest_system', 'attestor.rekor_submission_queue', 'SELECT, UPDATE')
       OR NOT has_table_privilege('pgattest_app', 'attestor.rekor_submission_queue', 'SELECT') THEN
        RAISE EXCEPTION 'attestor.rekor_submission_queue is not granted to pgattest_system (select, update) and pgattest_app (select)';
    END IF;
    IF has_table_privilege('pgattest_app', 'attestor.rekor_submission_queue', 'INSERT, UPDATE, DELETE') THEN
        RAISE EXCEPTION 'pgattest_app must write the queue only through the attestor functions';
    END IF;
    IF to_regclass('attestor.rekor_submission_queue_ready') IS NULL
       OR to_regclass('attestor.rekor_submission_queue_ready_by_tenant') IS NULL
       OR to_regclass('attestor.rekor_submission_queue_id') IS NULL THEN
        RAISE EXCEPTION 'attestor.rekor_submission_queue lacks its claim indexes';
    END IF;
END
$verify$;

ROLLBACK;
