-- Revert pgattest:attestor/complete_submissions from pg

BEGIN;

DROP FUNCTION attestor.complete_submissions(jsonb);

COMMIT;
