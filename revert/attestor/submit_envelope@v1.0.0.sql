-- Revert pgattest:attestor/submit_envelope from pg

BEGIN;

DROP FUNCTION attestor.submit_envelope(jsonb, text);

COMMIT;
