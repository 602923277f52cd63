-- Revert pgattest:unknowns/history from pg

BEGIN;

DROP FUNCTION unknowns.history(uuid);

COMMIT;
