-- Revert pgattest:unknowns/correct from pg

BEGIN;

DROP FUNCTION unknowns.correct(uuid, timestamptz, timestamptz, text, text, text, jsonb, text);

COMMIT;
