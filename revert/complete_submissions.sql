-- Revert pgattest:complete_submissions from pg

BEGIN;

DROP FUNCTION attestor.complete_submissions(jsonb);
DROP FUNCTION _pgattest.verify_submissions(jsonb);

COMMIT;
