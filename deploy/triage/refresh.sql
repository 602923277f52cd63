-- Deploy pgattest:triage/refresh to pg
-- requires: _pgattest/triage_views
-- Refreshes every registered triage view CONCURRENTLY (dashboards keep reading the
-- previous contents meanwhile) and reports how long each took. Owned by pgattest_owner,
-- which owns the views (REFRESH needs the owner); their queries see every tenant
-- through pgattest_system's functions. Run by pg_cron where installed (scheduled
-- below, every 5 minutes), else by the worker (pgattest_worker may call it) or an
-- operator. One view after another in the caller's transaction: a refresh of one view
-- waits for another running refresh of the same view rather than failing.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION triage.refresh()
RETURNS TABLE (view_name text, refreshed_at timestamptz, refresh_duration interval)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v record;
    started timestamptz;
BEGIN
    FOR v IN SELECT t.view_name FROM _pgattest.triage_views t ORDER BY t.view_name LOOP
        started := clock_timestamp();
        EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', v.view_name::regclass);
        UPDATE _pgattest.triage_views t
           SET refreshed_at = started, refresh_duration = clock_timestamp() - started
         WHERE t.view_name = v.view_name
        RETURNING t.view_name, t.refreshed_at, t.refresh_duration INTO view_name, refreshed_at, refresh_duration;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION triage.refresh() IS
    'Refreshes every triage materialized view (REFRESH MATERIALIZED VIEW CONCURRENTLY: readers are not blocked) and returns, per view, when the refresh began (the data''s refreshed_at) and how long it took. Scheduled with pg_cron every 5 minutes where pg_cron is installed in this database; otherwise the worker or an operator calls it. For pgattest_worker and pgattest_admin.';

REVOKE ALL ON FUNCTION triage.refresh() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION triage.refresh() TO pgattest_worker, pgattest_admin;

RESET ROLE;
-- pg_cron runs jobs in the database it is installed in; where it is, schedule there.
DO $cron$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE $$SELECT cron.schedule('pgattest_triage_refresh', '*/5 * * * *', 'SELECT * FROM triage.refresh()')$$;
    END IF;
END
$cron$;

COMMIT;
