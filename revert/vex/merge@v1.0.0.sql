-- Revert pgattest:vex/merge from pg

BEGIN;

DROP FUNCTION vex.merge(text, text);

COMMIT;
