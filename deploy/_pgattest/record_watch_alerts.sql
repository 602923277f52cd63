-- Deploy pgattest:_pgattest/record_watch_alerts to pg
-- requires: _pgattest/watch_match watchlist/alerts watchlist/alert_outbox watchlist/rule_matches
-- The one way alerts are written, by the live matching (as pgattest_system) and by
-- watchlist.backfill (as the owner, within the tenant): matches are grouped by
-- (tenant, rule, field, value, dedup window) and each group inserts an alert or adds its
-- occurrences to the window's alert (ON CONFLICT on the dedup key: exact under
-- concurrent writers). A new alert also gets its outbox row.
-- Rework after v1.1.0: only matches not counted before are counted. Each (rule, entry,
-- field, value) is first inserted into watchlist.rule_matches with ON CONFLICT DO
-- NOTHING; what the insert returns is what is new. Running watchlist.backfill twice, or
-- over entries the live matching counted (under any version of the rule), adds nothing;
-- a concurrent writer of the same match waits for the first and then skips it. One entry
-- is one occurrence of a (rule, field, value): two identities of one entry with the same
-- issuer count once.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.record_watch_alerts(matches _pgattest.watch_match[])
RETURNS integer
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    WITH fresh AS (
        INSERT INTO watchlist.rule_matches AS k (tenant_id, rule_id, rekor_entry_id, field, value_digest)
        SELECT DISTINCT x.tenant_id, x.rule_id, x.rekor_entry_id, x.field, sha256(convert_to(x.value, 'UTF8'))
          FROM unnest(matches) AS x
        ON CONFLICT ON CONSTRAINT rule_matches_once DO NOTHING
        RETURNING k.tenant_id, k.rule_id, k.rekor_entry_id, k.field, k.value_digest
    ), m AS (
        SELECT DISTINCT ON (x.tenant_id, x.rule_id, x.rekor_entry_id, x.field, x.value) x.*,
               to_timestamp(floor(extract(epoch FROM x.seen_at) / (x.dedup_minutes * 60)) * (x.dedup_minutes * 60)) AS window_start
          FROM unnest(matches) AS x
          JOIN fresh f ON f.tenant_id = x.tenant_id AND f.rule_id = x.rule_id AND f.rekor_entry_id = x.rekor_entry_id
                      AND f.field = x.field AND f.value_digest = sha256(convert_to(x.value, 'UTF8'))
         ORDER BY x.tenant_id, x.rule_id, x.rekor_entry_id, x.field, x.value, x.seen_at
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
    'Records watchlist matches as alerts: one per (tenant, rule, field, value, dedup window aligned to the epoch), counting occurrences; a new alert gets an outbox row. A match (rule, entry, field, value) already counted (watchlist.rule_matches), by the live matching or a backfill, under any rule version, is not counted again. Returns the number of matches recorded (new ones).';
REVOKE ALL ON FUNCTION _pgattest.record_watch_alerts(_pgattest.watch_match[]) FROM PUBLIC;
-- The live matching (_pgattest.watch_new_entries) runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.record_watch_alerts(_pgattest.watch_match[]) TO pgattest_system;

COMMIT;
