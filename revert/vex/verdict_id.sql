-- Revert pgattest:vex/verdict_id from pg

BEGIN;

DROP FUNCTION vex.verdict_id(text);

COMMIT;
