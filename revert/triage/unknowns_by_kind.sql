-- Revert pgattest:triage/unknowns_by_kind from pg

BEGIN;

DROP FUNCTION triage.unknowns_by_kind();

COMMIT;
