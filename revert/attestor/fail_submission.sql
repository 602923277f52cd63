-- Revert pgattest:attestor/fail_submission from pg

BEGIN;

DROP FUNCTION attestor.fail_submission(uuid, uuid, text, boolean);

COMMIT;
