-- Revert pgattest:unknowns/as_of from pg

BEGIN;

DROP FUNCTION unknowns.as_of(timestamptz, timestamptz, uuid);

COMMIT;
