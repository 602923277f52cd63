-- Revert pgattest:unknowns/resolve from pg

BEGIN;

DROP FUNCTION unknowns.resolve(uuid, text, timestamptz);

COMMIT;
