-- Revert pgattest:_pgattest/triage_unknowns_by_kind_rows from pg

BEGIN;

DROP FUNCTION _pgattest.triage_unknowns_by_kind_rows();
REVOKE SELECT (tenant_id, kind, resolution, valid_from, valid_to) ON unknowns.unknowns FROM pgattest_system;

COMMIT;
