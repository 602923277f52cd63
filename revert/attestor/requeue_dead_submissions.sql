-- Revert pgattest:attestor/requeue_dead_submissions from pg

BEGIN;

DROP FUNCTION attestor.requeue_dead_submissions(text, timestamptz, timestamptz, text);

COMMIT;
