-- Revert pgattest:trustverdict/delete from pg

BEGIN;

DROP FUNCTION trustverdict.delete(text, text);

COMMIT;
