-- Deploy pgattest:_pgattest/record_watch_alerts to pg
-- requires: _pgattest/watch_match watchlist/alerts watchlist/alert_outbox
-- The one way alerts are written, by the live matching (as pgattest_system) and by
-- watchlist.backfill (as the owner, within the tenant): matches are grouped by
-- (tenant, rule, field, value, dedup window) and each group inserts an alert or adds its
-- occurrences to the window's alert (ON CONFLICT on the dedup key: exact under
-- concurrent writers). A new alert also gets its outbox row.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.record_watch_alerts(matches _pgattest.watch_match[])
RETURNS integer
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    WITH m AS (
        SELECT x.*,
               to_timestamp(floor(extract(epoch FROM x.seen_at) / (x.dedup_minutes * 60)) * (x.dedup_minutes * 60)) AS window_start
          FROM unnest(matches) AS x
    ), g AS (
        SELECT m.tenant_id, m.rule_id, m.field, m.value, m.window_start,
               count(*)::integer AS n, min(m.seen_at) AS first_seen, max(m.seen_at) AS last_seen,
               (array_agg(m.rekor_entry_id ORDER BY m.seen_at, m.rekor_entry_id))[1] AS first_entry,
               (array_agg(m.rekor_entry_id ORDER BY m.seen_at DESC, m.rekor_entry_id DESC))[1] AS last_entry,
               (array_agg(m.identity ORDER BY m.seen_at, m.rekor_entry_id))[1] AS identity,
               min(m.rule_scope) AS rule_scope, min(m.rule_name) AS rule_name,
               max(m.rule_version) AS rule_version, min(m.severity) AS severity
          FROM m
         GROUP BY m.tenant_id, m.rule_id, m.field, m.value, m.window_start
    ), up AS (
        INSERT INTO watchlist.alerts AS a (tenant_id, rule_id, rule_scope, rule_name, rule_version, severity, field,
                                           value, identity, window_start, rekor_entry_id, last_rekor_entry_id,
                                           first_seen_at, last_seen_at, occurrences)
        SELECT g.tenant_id, g.rule_id, g.rule_scope, g.rule_name, g.rule_version, g.severity, g.field,
               g.value, g.identity, g.window_start, g.first_entry, g.last_entry, g.first_seen, g.last_seen, g.n
          FROM g
        ON CONFLICT ON CONSTRAINT alerts_dedup DO UPDATE
           SET occurrences = a.occurrences + excluded.occurrences,
               first_seen_at = least(a.first_seen_at, excluded.first_seen_at),
               last_seen_at = greatest(a.last_seen_at, excluded.last_seen_at),
               last_rekor_entry_id = CASE WHEN excluded.last_seen_at >= a.last_seen_at
                                          THEN excluded.last_rekor_entry_id ELSE a.last_rekor_entry_id END,
               rule_version = greatest(a.rule_version, excluded.rule_version)
        RETURNING a.tenant_id, a.id, (a.xmax = 0) AS inserted
    ), outbox AS (
        INSERT INTO watchlist.alert_outbox (tenant_id, alert_id)
        SELECT up.tenant_id, up.id FROM up WHERE up.inserted
        RETURNING 1
    )
    SELECT coalesce(sum(g.n), 0)::integer + 0 * (SELECT count(*) FROM outbox)::integer FROM g
$$;

COMMENT ON FUNCTION _pgattest.record_watch_alerts(_pgattest.watch_match[]) IS
    'Records watchlist matches as alerts: one per (tenant, rule, field, value, dedup window aligned to the epoch), counting occurrences; a new alert gets an outbox row. Returns the number of matches recorded.';
REVOKE ALL ON FUNCTION _pgattest.record_watch_alerts(_pgattest.watch_match[]) FROM PUBLIC;
-- The live matching (_pgattest.watch_new_entries) runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.record_watch_alerts(_pgattest.watch_match[]) TO pgattest_system;

COMMIT;
