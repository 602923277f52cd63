-- Deploy pgattest:attestor/complete_submission to pg
-- requires: _pgattest/complete_claimed _pgattest/completion
-- A worker completes one claimed submission with the log's entry: the batch of one, with
-- the same checks, errors and writes as attestor.complete_submissions. Owned by
-- pgattest_system: workers hold no tenant. Planned once per session.

BEGIN;

-- No SET ROLE: the function belongs to pgattest_system, which pgattest_owner cannot
-- replace a function of; the deploying superuser creates it (and a rework, or the revert
-- of one, replaces it) and hands it over below.

CREATE OR REPLACE FUNCTION attestor.complete_submission(submission_id uuid, claim_token uuid, tlog_entry jsonb)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = force_generic_plan
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF submission_id IS NULL THEN
        RAISE EXCEPTION 'submission_id is NULL' USING ERRCODE = '22004', HINT = 'Pass the id claim_submissions returned.';
    END IF;
    RETURN (SELECT c.rekor_entry_id
              FROM _pgattest.complete_claimed(ARRAY[ROW(submission_id, claim_token, tlog_entry)::_pgattest.completion]) AS c);
END
$$;

COMMENT ON FUNCTION attestor.complete_submission(uuid, uuid, jsonb) IS
    'Completes a claimed submission with the log''s entry (Rekor v1 REST response or v2 TransparencyLogEntry) and returns the proofchain.rekor_entries id. First verifies the entry with proofchain.verify_tlog_entry against the registered log key (leaf hash, inclusion proof, checkpoint signature and agreement, signed entry timestamp), and that its body records the submitted envelope; only then stores the checkpoint and the entry and marks the item submitted, in one transaction. A second completion of a submitted item returns the same id and changes nothing. For pgattest_worker. Raises 22023 for an unknown submission or an entry that does not verify or records another envelope, 55000 for a stale claim token, 23PA1 when the checkpoint reveals a split view, 22004 for NULL.';
REVOKE ALL ON FUNCTION attestor.complete_submission(uuid, uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.complete_submission(uuid, uuid, jsonb) TO pgattest_worker;

-- pgattest_system owns the cross-tenant worker functions (it bypasses RLS) and holds
-- exactly the privileges they use. Handing them over takes the deploying superuser.
RESET ROLE;
ALTER FUNCTION attestor.complete_submission(uuid, uuid, jsonb) OWNER TO pgattest_system;

COMMIT;
