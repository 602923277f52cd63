-- Deploy pgattest:watchlist/list_alerts to pg
-- requires: core/require_tenant watchlist/alerts

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.list_alerts(
    since timestamptz DEFAULT NULL, severity text DEFAULT NULL, rule_id uuid DEFAULT NULL,
    include_acknowledged boolean DEFAULT false, max_rows integer DEFAULT 100)
RETURNS SETOF watchlist.alerts
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF severity IS NOT NULL AND severity NOT IN ('critical', 'warning', 'info') THEN
        RAISE EXCEPTION 'invalid severity %', quote_literal(left(severity, 80))
            USING ERRCODE = '22023', HINT = 'Use critical, warning or info (or NULL for all).';
    END IF;
    IF include_acknowledged IS NULL OR max_rows IS NULL OR max_rows NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'invalid include_acknowledged % or max_rows %', include_acknowledged, max_rows
            USING ERRCODE = '22023', HINT = 'Pass include_acknowledged true or false and max_rows from 1 to 10000.';
    END IF;
    RETURN QUERY
    SELECT a.* FROM watchlist.alerts a
     WHERE a.tenant_id = tenant
       AND (list_alerts.since IS NULL OR a.last_seen_at >= list_alerts.since)
       AND (list_alerts.severity IS NULL OR a.severity = list_alerts.severity)
       AND (list_alerts.rule_id IS NULL OR a.rule_id = list_alerts.rule_id)
       AND (list_alerts.include_acknowledged OR a.acknowledged_at IS NULL)
     ORDER BY a.last_seen_at DESC, a.id
     LIMIT max_rows;
END
$$;

COMMENT ON FUNCTION watchlist.list_alerts(timestamptz, text, uuid, boolean, integer) IS
    'The current tenant''s watchlist alerts, newest match first: seen since a time, of a severity, of a rule (NULL: any), unacknowledged unless include_acknowledged, at most max_rows (1 to 10000, default 100). 42501 without a tenant; 22023 for a bad severity or limit.';
REVOKE ALL ON FUNCTION watchlist.list_alerts(timestamptz, text, uuid, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.list_alerts(timestamptz, text, uuid, boolean, integer) TO pgattest_app, pgattest_admin;

COMMIT;
