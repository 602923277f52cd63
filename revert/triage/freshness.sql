-- Revert pgattest:triage/freshness from pg

BEGIN;

DROP FUNCTION triage.freshness();

COMMIT;
