-- Revert pgattest:attestor/requeue_submission from pg

BEGIN;

DROP FUNCTION attestor.requeue_submission(uuid);

COMMIT;
