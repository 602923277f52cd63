-- Deploy pgattest:triage/unknowns_by_kind to pg
-- requires: core/require_tenant _pgattest/triage_unknowns_by_kind _pgattest/triage_views
-- The tenant-filtering access path to _pgattest.triage_unknowns_by_kind (see triage/vex_status).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION triage.unknowns_by_kind()
RETURNS TABLE (kind text, open bigint, resolved bigint, refreshed_at timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.kind, k.open, k.resolved,
           (SELECT t.refreshed_at FROM _pgattest.triage_views t WHERE t.view_name = '_pgattest.triage_unknowns_by_kind')
      FROM _pgattest.triage_unknowns_by_kind k
     WHERE k.tenant_id = (SELECT core.require_tenant())
     ORDER BY k.open DESC, k.kind
$$;

COMMENT ON FUNCTION triage.unknowns_by_kind() IS
    'The current tenant''s unknowns by kind, open and resolved, valid and as known at refreshed_at (triage.refresh); most open first. Raises 42501 without a tenant.';

REVOKE ALL ON FUNCTION triage.unknowns_by_kind() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION triage.unknowns_by_kind() TO pgattest_app, pgattest_admin;

COMMIT;
