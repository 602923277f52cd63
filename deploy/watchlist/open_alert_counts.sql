-- Deploy pgattest:watchlist/open_alert_counts to pg
-- requires: core/require_tenant watchlist/alerts
-- For triage (issue 19): the current tenant's unacknowledged alerts per severity, from
-- the partial index alerts_open.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.open_alert_counts()
RETURNS TABLE (severity text, open_alerts bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    RETURN QUERY
    SELECT s.severity, count(a.id)
      FROM unnest(ARRAY['critical', 'warning', 'info']) WITH ORDINALITY AS s(severity, ord)
      LEFT JOIN watchlist.alerts a ON a.tenant_id = tenant AND a.severity = s.severity AND a.acknowledged_at IS NULL
     GROUP BY s.severity, s.ord
     ORDER BY s.ord;
END
$$;

COMMENT ON FUNCTION watchlist.open_alert_counts() IS
    'The current tenant''s unacknowledged watchlist alerts per severity (critical, warning, info; zero included). 42501 without a tenant.';
REVOKE ALL ON FUNCTION watchlist.open_alert_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.open_alert_counts() TO pgattest_app, pgattest_admin;

COMMIT;
