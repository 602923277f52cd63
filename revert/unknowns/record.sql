-- Revert pgattest:unknowns/record from pg

BEGIN;

DROP FUNCTION unknowns.record(text, text, text, jsonb, timestamptz, timestamptz);

COMMIT;
