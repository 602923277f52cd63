-- Revert pgattest:attestor/release_submissions from pg

BEGIN;

DROP FUNCTION attestor.release_submissions(text, uuid[]);

COMMIT;
