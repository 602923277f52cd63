-- Deploy pgattest:triage/freshness to pg
-- requires: _pgattest/triage_views

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- SECURITY DEFINER: the registry is internal; what it holds is no tenant's data.
CREATE OR REPLACE FUNCTION triage.freshness()
RETURNS TABLE (view_name text, refreshed_at timestamptz, refresh_duration interval)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.view_name, t.refreshed_at, t.refresh_duration FROM _pgattest.triage_views t ORDER BY t.view_name
$$;

COMMENT ON FUNCTION triage.freshness() IS
    'How stale the dashboards are: per triage materialized view, when its last refresh began (refreshed_at) and how long it took.';

REVOKE ALL ON FUNCTION triage.freshness() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION triage.freshness() TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
