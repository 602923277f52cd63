-- Revert pgattest:trustverdict/get from pg

BEGIN;

DROP FUNCTION trustverdict.get(text);

COMMIT;
