-- Revert pgattest:_pgattest/triage_unknowns_by_kind from pg

BEGIN;

DELETE FROM _pgattest.triage_views WHERE view_name = '_pgattest.triage_unknowns_by_kind';
DROP MATERIALIZED VIEW _pgattest.triage_unknowns_by_kind;

COMMIT;
