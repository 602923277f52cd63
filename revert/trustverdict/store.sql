-- Revert pgattest:trustverdict/store from pg

BEGIN;

DROP FUNCTION trustverdict.store(jsonb);

COMMIT;
