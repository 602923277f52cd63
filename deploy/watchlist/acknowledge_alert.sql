-- Deploy pgattest:watchlist/acknowledge_alert to pg
-- requires: core/require_tenant watchlist/alerts

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.acknowledge_alert(alert_id uuid)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    at     timestamptz;
BEGIN
    IF alert_id IS NULL THEN
        RAISE EXCEPTION 'no alert to acknowledge' USING ERRCODE = '22004', HINT = 'Pass an alert id from watchlist.list_alerts().';
    END IF;
    UPDATE watchlist.alerts a
       SET acknowledged_at = now(),
           acknowledged_by = coalesce(nullif(current_setting('app.actor', true), ''), session_user)
     WHERE a.tenant_id = tenant AND a.id = acknowledge_alert.alert_id AND a.acknowledged_at IS NULL
    RETURNING a.acknowledged_at INTO at;
    IF at IS NULL THEN
        IF EXISTS (SELECT FROM watchlist.alerts a WHERE a.tenant_id = tenant AND a.id = acknowledge_alert.alert_id) THEN
            RAISE EXCEPTION 'alert % is acknowledged already', alert_id
                USING ERRCODE = '55000', HINT = 'An alert is acknowledged once; list_alerts(include_acknowledged => true) shows by whom.';
        END IF;
        RAISE EXCEPTION 'tenant % has no alert %', tenant, alert_id
            USING ERRCODE = '22023', HINT = 'Pass an alert id from watchlist.list_alerts().';
    END IF;
    RETURN at;
END
$$;

COMMENT ON FUNCTION watchlist.acknowledge_alert(uuid) IS
    'Acknowledges one of the current tenant''s alerts, by app.actor (else the session user); returns when. 42501 without a tenant; 22004 for NULL; 22023 for an unknown alert; 55000 when acknowledged already.';
REVOKE ALL ON FUNCTION watchlist.acknowledge_alert(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.acknowledge_alert(uuid) TO pgattest_app, pgattest_admin;

COMMIT;
