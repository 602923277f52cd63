-- Deploy pgattest:health/metrics to pg
-- requires: health/metrics@v1.1.0 pgattest_monitor health/thresholds attestor/rekor_submission_queue
-- requires: attestor/rekor_submission_queue_dead_items attestor/transparency_logs attestor/rekor_checkpoints
-- requires: attestor/split_views attestor/split_views_add_evidence vex/observations verdict/ledger_entries
-- requires: core/tenants verdict/anchors _pgattest/triage_views watchlist/alerts watchlist/alert_outbox
-- requires: audit/events
--
-- One row per figure, for exporters and for health.check(). Aggregates only: no tenant
-- id, no row of any tenant. It reads across tenants, so it belongs to pgattest_system
-- (BYPASSRLS, and a member of pg_read_all_stats by the pgattest_monitor change), created
-- by the deploying superuser and handed over, as the queue functions are.
--
-- Costs are bounded for a scrape every few seconds on a loaded database: the queue
-- figures read partial indexes (the ready index for depth and age, the dead index for
-- dead items), the pending VEX links count stops at 100,001 (reported as that: "more
-- than 100,000" is all an alert needs), and the checkpoint ages read one row per log.
--
-- The figures of the modules that landed after health:
-- - ledger:anchorAge: per tenant with unanchored entries, how long its oldest unanchored
--   entry has waited; the worst tenant's is reported, and ledger:tenantsBehind counts the
--   tenants at or over the check's warn and fail bounds, labelled by the bound, never by
--   tenant. The entry's age rather than the last anchor's: a tenant whose last anchor is
--   a week old and who appended one entry a minute ago is not a week behind. A tenant that
--   never anchored is as far behind as its first entry is old. Two index probes per tenant
--   (its largest anchored size, then that entry + 1 by primary key), not
--   verdict.anchor_ages(), which also finds each ledger head and anchor time the figure
--   does not need: with 5,000 tenants with ledgers, health.check() took 21 ms this way
--   and 70 ms through verdict.anchor_ages() on the 2-core development machine (1.3 ms
--   without them). It grows with the number of tenants, about 4 µs each.
-- - triage:staleness: per registered triage view, time since its last refresh began.
-- - watchlist:scanLag and watchlist:undeliveredAlerts: nothing records scan progress,
--   because there is none to record: the watchlist matches an entry in the transaction
--   that stores it (_pgattest.watch_new_entries), so matching never trails the entries.
--   What can trail is the alert reaching someone: a new alert waits in the outbox until
--   a consumer takes it (watchlist.drain_outbox). So the lag is the age of the oldest
--   outbox row whose alert is not acknowledged either (an acknowledged alert was seen,
--   through watchlist.list_alerts), and the rows are how many such alerts wait. The
--   outbox holds only undelivered alerts, so a drained outbox is small; one nobody
--   drains is what this check is for. (Backfill of a changed rule runs on demand and
--   synchronously too.)
-- - transparencyLog:lastConsistencyFailureAge: per log, time since the latest evidence
--   in attestor.split_views was detected, conclusive (a split view) or not (a failed
--   consistency proof); NULL (NaN for exporters) when there was none. Lower is worse.
-- - transparencyLog:splitViews: per log, the split views still freezing it: conclusive
--   evidence no admin has lifted yet (attestor.lift_split_view stamps resolved_at on it
--   and clears transparency_logs.split_view_at). It used to count every record, so one
--   split view failed the check for ever, lifted or not; an inconclusive record (a failed
--   proof) freezes nothing and is never lifted, so it does not count either. A log
--   frozen without such evidence (split_view_at set by hand) counts as one: the freeze
--   is what the check is about. transparencyLog:splitViewRecords keeps the total of
--   evidence records, conclusive or not, lifted or not, to report only (its recency is
--   lastConsistencyFailureAge's to judge).
-- - audit:partitionsAhead: days from now to the end of the partitions of audit.events
--   that cover now without a gap (the first gap ends them). Every tenant table's audit
--   trigger writes there, so when no partition covers the statement time every audited
--   write fails; 0 when none covers now. Read from the catalog (partition bounds), a few
--   dozen rows. A DEFAULT partition (pgattest makes none) covers nothing here: rows in it
--   would make the creation of that month's partition fail. Capped at 36,525 days (a
--   MAXVALUE bound is infinite, which jsonb cannot hold). datestyle is pinned to ISO for
--   the bounds' text (pg_get_expr) to read back whatever the caller's setting.
-- plpgsql only to keep the plan: a SQL function that is not inlined (this one returns a
-- table and is a definer) is planned again at every call, which cost 10 ms of the 12.

BEGIN;

CREATE OR REPLACE FUNCTION health.metrics()
RETURNS TABLE (component text, measurement text, label text, value double precision, unit text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET datestyle = 'ISO, YMD'
AS $$
BEGIN
    RETURN QUERY
    WITH RECURSIVE clients AS (
        SELECT a.state, a.xact_start, a.backend_xmin, a.backend_xid, a.wait_event_type
          FROM pg_stat_activity a
         WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
           -- This database's sessions: they are what holds its vacuum back and waits on
           -- its locks. (Utilization below counts the whole server: max_connections does.)
           AND a.datname = current_database()
    ), ledger AS (
        -- Per tenant, the first entry its anchors do not cover: the ledger is gapless, so
        -- seq anchored + 1 exists exactly when entries wait, and it is the oldest of them.
        SELECT extract(epoch FROM now() - e.recorded_at)::float8 AS age
          FROM core.tenants t
         CROSS JOIN LATERAL (SELECT coalesce(max(a.tree_size), 0) AS anchored
                               FROM verdict.anchors a WHERE a.tenant_id = t.tenant_id) h
         CROSS JOIN LATERAL (SELECT x.recorded_at FROM verdict.ledger_entries x
                              WHERE x.tenant_id = t.tenant_id AND x.seq = h.anchored + 1) e
    ), bounds AS (
        SELECT t.warn_above, t.fail_above FROM health.thresholds t WHERE t.check_key = 'ledger:anchorAge'
    ), partition_bounds AS (
        -- "FOR VALUES FROM ('lo') TO ('hi')", MINVALUE or MAXVALUE for an open end. Cut
        -- by position rather than a regular expression (a third of the cost: it runs for
        -- every partition kept, 17 by default). Relation 0: a bound holds only constants,
        -- so there is no column name to deparse and no partition to open.
        SELECT split_part(b.expr, ') TO (', 1) AS lo_text, split_part(b.expr, ') TO (', 2) AS hi_text
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
         CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, 0) AS expr) b
         WHERE i.inhparent = 'audit.events'::regclass AND b.expr LIKE 'FOR VALUES FROM (%'
    ), partitions AS (
        SELECT CASE WHEN b.lo_text LIKE '%MINVALUE' THEN '-infinity'
                    ELSE btrim(substr(b.lo_text, length('FOR VALUES FROM (') + 1), '''') END::timestamptz AS lo,
               CASE WHEN b.hi_text LIKE 'MAXVALUE%' THEN 'infinity'
                    ELSE btrim(left(b.hi_text, -1), '''') END::timestamptz AS hi
          FROM partition_bounds b
    ), covered AS (
        -- Range partitions do not overlap: from the one holding now, each next one starts
        -- where the last ended, until a gap.
        SELECT p.hi FROM partitions p WHERE p.lo <= now() AND now() < p.hi
        UNION ALL
        SELECT p.hi FROM covered k JOIN partitions p ON p.lo = k.hi
    ), figures AS (
        -- Every state, also when no session is in it: an exporter's series must not vanish.
        SELECT 'connections' AS component, 'inUse' AS measurement, st.state AS label,
               (SELECT count(*) FROM clients c WHERE c.state = st.state)::float8 AS value, 'sessions' AS unit
          FROM (VALUES ('active'), ('idle'), ('idle in transaction'), ('idle in transaction (aborted)'),
                       ('fastpath function call'), ('disabled')) AS st(state)
        UNION ALL
        SELECT 'connections', 'utilization', NULL,
               100.0 * (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')
                     / current_setting('max_connections')::float8, 'percent'
        UNION ALL
        SELECT 'locks', 'waiting', NULL, count(*) FILTER (WHERE c.wait_event_type = 'Lock'), 'sessions' FROM clients c
        UNION ALL
        SELECT 'transactions', 'oldestAge', NULL,
               coalesce(extract(epoch FROM now() - min(c.xact_start)), 0)::float8, 's' FROM clients c
        UNION ALL
        SELECT 'transactions', 'xminAge', x.holder, coalesce(max(x.age), 0)::float8, 'xids'
          FROM (-- A transaction holds the horizon back by its snapshot (backend_xmin) and, once it
                -- has written, by its own xid, which stays while it sits idle in transaction.
                SELECT 'backend' AS holder, greatest(age(c.backend_xmin), age(c.backend_xid)) AS age FROM clients c
                UNION ALL SELECT 'backend', NULL
                UNION ALL SELECT 'replicationSlot', greatest(age(s.xmin), age(s.catalog_xmin)) FROM pg_replication_slots s
                UNION ALL SELECT 'replicationSlot', NULL
                UNION ALL SELECT 'preparedTransaction', age(p.transaction) FROM pg_prepared_xacts p
                UNION ALL SELECT 'preparedTransaction', NULL) x
         GROUP BY x.holder
        UNION ALL
        -- Autovacuum forces a freeze at 2^31 - 3 million xids of age; this is how much of
        -- that space the oldest database has used.
        SELECT 'transactions', 'wraparoundUsed', NULL,
               100.0 * max(age(d.datfrozenxid)) / 2147483647.0, 'percent' FROM pg_database d
        UNION ALL
        SELECT 'replication', 'lag', coalesce(r.application_name, r.client_addr::text, 'standby'),
               coalesce(extract(epoch FROM r.replay_lag), 0)::float8, 's'
          FROM pg_stat_replication r
        UNION ALL
        SELECT 'replication', 'lag', 'self',
               coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)::float8, 's'
         WHERE pg_is_in_recovery()
        UNION ALL
        SELECT 'queue', v.measurement, NULL, v.value, v.unit
          FROM (SELECT count(*)::float8 AS depth,
                       coalesce(extract(epoch FROM now() - min(q.created_at)), 0)::float8 AS oldest
                  FROM attestor.rekor_submission_queue q WHERE q.state IN ('pending', 'failed', 'claimed')) w,
               LATERAL (VALUES ('depth', w.depth, 'items'), ('oldestPendingAge', w.oldest, 's')) AS v(measurement, value, unit)
        UNION ALL
        SELECT 'queue', 'dead', NULL, count(*)::float8, 'items'
          FROM attestor.rekor_submission_queue q WHERE q.state = 'dead'
        UNION ALL
        SELECT 'vex', 'pendingLinks', NULL, count(*)::float8, 'observations'
          FROM (SELECT FROM vex.observations o WHERE o.rekor_entry_id IS NULL LIMIT 100001) o
        UNION ALL
        SELECT 'transparencyLog', 'checkpointAge', l.log_id,
               (SELECT extract(epoch FROM now() - max(k.verified_at))::float8
                  FROM attestor.rekor_checkpoints k WHERE k.log_id = l.log_id), 's'
          FROM attestor.transparency_logs l WHERE l.active
        UNION ALL
        SELECT 'transparencyLog', 'splitViews', l.log_id,
               greatest((SELECT count(*) FROM attestor.split_views v
                          WHERE v.log_id = l.log_id AND v.conclusive AND v.resolved_at IS NULL),
                        (l.split_view_at IS NOT NULL)::int)::float8, 'views'
          FROM attestor.transparency_logs l
        UNION ALL
        SELECT 'transparencyLog', 'splitViewRecords', l.log_id,
               (SELECT count(*)::float8 FROM attestor.split_views v WHERE v.log_id = l.log_id), 'records'
          FROM attestor.transparency_logs l
        UNION ALL
        SELECT 'transparencyLog', 'lastConsistencyFailureAge', l.log_id,
               (SELECT extract(epoch FROM now() - max(v.detected_at))::float8
                  FROM attestor.split_views v WHERE v.log_id = l.log_id), 's'
          FROM attestor.transparency_logs l
        UNION ALL
        SELECT 'audit', 'partitionsAhead', NULL,
               least(coalesce((extract(epoch FROM max(k.hi)) - extract(epoch FROM now())) / 86400, 0), 36525)::float8, 'd'
          FROM covered k
        UNION ALL
        SELECT 'ledger', 'anchorAge', NULL, coalesce(max(g.age), 0), 's' FROM ledger g
        UNION ALL
        SELECT 'ledger', 'tenantsBehind', b.bound,
               (SELECT count(*)::float8 FROM ledger g WHERE g.age >= b.at), 'tenants'
          FROM (SELECT 'warn' AS bound, (SELECT warn_above FROM bounds) AS at
                UNION ALL SELECT 'fail', (SELECT fail_above FROM bounds)) b
        UNION ALL
        SELECT 'triage', 'staleness', t.view_name, extract(epoch FROM now() - t.refreshed_at)::float8, 's'
          FROM _pgattest.triage_views t
        UNION ALL
        SELECT 'watchlist', v.measurement, NULL, v.value, v.unit
          FROM (SELECT count(*)::float8 AS waiting,
                       coalesce(extract(epoch FROM now() - min(o.created_at)), 0)::float8 AS lag
                  FROM watchlist.alert_outbox o
                  JOIN watchlist.alerts a ON a.tenant_id = o.tenant_id AND a.id = o.alert_id
                 WHERE a.acknowledged_at IS NULL) w,
               LATERAL (VALUES ('scanLag', w.lag, 's'), ('undeliveredAlerts', least(w.waiting, 100001), 'alerts'))
                       AS v(measurement, value, unit)
    )
    SELECT f.component, f.measurement, f.label, f.value, f.unit FROM figures f
    UNION ALL
    -- Last, so that it covers computing everything above.
    SELECT 'database', 'responseTime', NULL,
           extract(epoch FROM clock_timestamp() - statement_timestamp())::float8 * 1000, 'ms';
END
$$;

COMMENT ON FUNCTION health.metrics() IS
    'pgattest''s health figures, one row per (component, measurement, label): this database''s connections in use by state, the server''s utilization against max_connections, this database''s sessions waiting on locks, oldest transaction age, xmin age by holder (backend, replication slot, prepared transaction), share of the transaction-id space used, replication lag, submission queue depth, oldest pending age and dead items, VEX observations awaiting a Rekor link (counted up to 100,001), per active log the age of its newest verified checkpoint, per log the split views still freezing it (conclusive evidence not yet lifted with attestor.lift_split_view), its split-view evidence records of any kind (reported only) and the age of its last consistency failure (split view or failed consistency proof; NULL when none), how many days ahead the partitions of audit.events cover without a gap (0 when none covers now: every audited write then fails), the ledger''s anchor age (how long the oldest unanchored entry of the worst tenant has waited) and how many tenants are at or over its warn and fail bounds, per triage materialized view the time since its last refresh, the watchlist''s scan lag (age of the oldest new alert neither taken from the outbox nor acknowledged: matching itself runs when an entry is stored) and how many such alerts wait, and the server time taken. Aggregates only, no tenant data. For pgattest_monitor (and pg_monitor members) and exporters (ops/monitoring/queries.yaml).';

REVOKE ALL ON FUNCTION health.metrics() FROM PUBLIC;

ALTER FUNCTION health.metrics() OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION health.metrics() TO pgattest_monitor, pgattest_admin;
GRANT SELECT ON attestor.split_views TO pgattest_system;
-- The triage registry and the outbox are read across tenants too (pgattest_system reads
-- the tenants, ledger entries and anchors already, for the ledger's own functions).
GRANT SELECT ON _pgattest.triage_views TO pgattest_system;
GRANT SELECT ON watchlist.alert_outbox TO pgattest_system;

COMMIT;
