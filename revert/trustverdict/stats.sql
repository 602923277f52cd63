-- Revert pgattest:trustverdict/stats from pg

BEGIN;

DROP FUNCTION trustverdict.stats();

COMMIT;
