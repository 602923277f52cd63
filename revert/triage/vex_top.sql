-- Revert pgattest:triage/vex_top from pg

BEGIN;

DROP FUNCTION triage.vex_top(text, integer);

COMMIT;
