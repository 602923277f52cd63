-- Deploy pgattest:_pgattest/require_lease to pg
-- requires: attestor/rekor_submission_queue
-- Raises 55000 unless the item is still claimed under the presented token: the
-- lease check of attestor.fail_submission.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.require_lease(item attestor.rekor_submission_queue, claim_token uuid)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF item.state <> 'claimed' OR item.claim_token IS DISTINCT FROM require_lease.claim_token THEN
        RAISE EXCEPTION 'stale claim token % for submission % (now %)', claim_token, item.id, item.state
            USING ERRCODE = '55000',
                  HINT = 'The lease was lost (it expired and the item was claimed again, or it was completed or failed); drop the item and claim anew.';
    END IF;
END
$$;

COMMENT ON FUNCTION _pgattest.require_lease(attestor.rekor_submission_queue, uuid) IS
    'Raises 55000 (stale claim token) unless the queue item is claimed under claim_token. Internal to attestor.fail_submission.';
REVOKE ALL ON FUNCTION _pgattest.require_lease(attestor.rekor_submission_queue, uuid) FROM PUBLIC;
-- attestor.fail_submission runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.require_lease(attestor.rekor_submission_queue, uuid) TO pgattest_system;

COMMIT;
