-- Deploy pgattest:vex/delta_summary to pg
-- requires: core/current_tenant vex/delta_changes
-- How much a tenant's VEX changed in a time window.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.delta_summary(since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
RETURNS TABLE (added bigint, removed bigint, status_changed bigint)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT count(*) FILTER (WHERE d.change_kind = 'added'), count(*) FILTER (WHERE d.change_kind = 'removed'),
           count(*) FILTER (WHERE d.change_kind = 'status_changed')
      FROM vex.delta_changes d
     WHERE d.tenant_id = (SELECT core.current_tenant()) AND d.created_at >= since AND d.created_at < until
$$;

COMMENT ON FUNCTION vex.delta_summary(timestamptz, timestamptz) IS
    'Counts of the current tenant''s VEX changes recorded in [since, until): statements added, removed and status changes. For pgattest_app.';
REVOKE ALL ON FUNCTION vex.delta_summary(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.delta_summary(timestamptz, timestamptz) TO pgattest_app;

COMMIT;
