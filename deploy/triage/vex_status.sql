-- Deploy pgattest:triage/vex_status to pg
-- requires: core/require_tenant _pgattest/triage_vex_status _pgattest/triage_views
-- The tenant-filtering access path to _pgattest.triage_vex_status: the view has no
-- row-level security and no client grant; this function, owned by the view's owner,
-- returns the current tenant's rows only (42501 without one).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION triage.vex_status()
RETURNS TABLE (status text, observations bigint, current_observations bigint, vulnerabilities bigint, products bigint,
               pending_rekor_links bigint, refreshed_at timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.status, s.observations, s.current_observations, s.vulnerabilities, s.products, s.pending_rekor_links,
           (SELECT t.refreshed_at FROM _pgattest.triage_views t WHERE t.view_name = '_pgattest.triage_vex_status')
      FROM _pgattest.triage_vex_status s
     WHERE s.tenant_id = (SELECT core.require_tenant())
     ORDER BY s.status
$$;

COMMENT ON FUNCTION triage.vex_status() IS
    'The current tenant''s VEX observations by status: all, current (superseded by none), distinct vulnerabilities and products, and those waiting for their Rekor link; as of refreshed_at (triage.refresh). A status with no observation has no row. Raises 42501 without a tenant.';

REVOKE ALL ON FUNCTION triage.vex_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION triage.vex_status() TO pgattest_app, pgattest_admin;

COMMIT;
