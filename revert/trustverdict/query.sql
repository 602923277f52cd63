-- Revert pgattest:trustverdict/query from pg

BEGIN;

DROP FUNCTION trustverdict.query(text, text, numeric, numeric, text, timestamptz, timestamptz, boolean, timestamptz, uuid, integer);

COMMIT;
