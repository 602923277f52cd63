-- Revert pgattest:attestor/claim_submissions from pg

BEGIN;

DROP FUNCTION attestor.claim_submissions(text, integer, interval);

COMMIT;
