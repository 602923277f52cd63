-- Revert pgattest:attestor/complete_submission from pg

BEGIN;

DROP FUNCTION attestor.complete_submission(uuid, uuid, jsonb);

COMMIT;
