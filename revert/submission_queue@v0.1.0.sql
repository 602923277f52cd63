-- Revert pgattest:submission_queue from pg

BEGIN;

DROP FUNCTION attestor.requeue_submission(uuid);
DROP FUNCTION attestor.fail_submission(uuid, uuid, text, boolean);
DROP FUNCTION attestor.complete_submission(uuid, uuid, jsonb);
DROP FUNCTION _pgattest.require_lease(attestor.rekor_submission_queue, uuid);
DROP FUNCTION _pgattest.locked_submission(uuid);
DROP FUNCTION attestor.claim_submissions(text, integer, interval);
DROP FUNCTION attestor.submit_envelope(jsonb, text);
DROP FUNCTION _pgattest.setting_int(text, integer);
DROP TABLE attestor.rekor_submission_queue;

COMMIT;
