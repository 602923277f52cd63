-- Revert pgattest:_pgattest/require_lease from pg

BEGIN;

DROP FUNCTION _pgattest.require_lease(attestor.rekor_submission_queue, uuid);

COMMIT;
