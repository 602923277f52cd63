-- Deploy pgattest:_pgattest/locked_submission to pg
-- requires: attestor/rekor_submission_queue
-- The claimed item, locked; raises for an unknown id (22023). Used by
-- attestor.fail_submission (the completion locks its batch itself).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.locked_submission(submission_id uuid)
RETURNS attestor.rekor_submission_queue
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item attestor.rekor_submission_queue;
BEGIN
    IF submission_id IS NULL THEN
        RAISE EXCEPTION 'submission_id is NULL' USING ERRCODE = '22004', HINT = 'Pass the id claim_submissions returned.';
    END IF;
    SELECT * INTO item FROM attestor.rekor_submission_queue q WHERE q.id = submission_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown submission %', submission_id
            USING ERRCODE = '22023', HINT = 'Pass the submission_id that attestor.claim_submissions returned.';
    END IF;
    RETURN item;
END
$$;

COMMENT ON FUNCTION _pgattest.locked_submission(uuid) IS
    'The queue item submission_id, locked FOR UPDATE; raises 22004 for NULL and 22023 for an unknown id. Internal to attestor.fail_submission.';
REVOKE ALL ON FUNCTION _pgattest.locked_submission(uuid) FROM PUBLIC;
-- attestor.fail_submission runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.locked_submission(uuid) TO pgattest_system;

COMMIT;
