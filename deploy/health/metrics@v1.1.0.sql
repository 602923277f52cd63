-- Deploy pgattest:health/metrics to pg
-- requires: pgattest_monitor attestor/rekor_submission_queue attestor/rekor_submission_queue_dead_items
-- requires: attestor/transparency_logs attestor/rekor_checkpoints attestor/split_views vex/observations
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
-- plpgsql only to keep the plan: a SQL function that is not inlined (this one returns a
-- table and is a definer) is planned again at every call, which cost 10 ms of the 12.

BEGIN;

CREATE OR REPLACE FUNCTION health.metrics()
RETURNS TABLE (component text, measurement text, label text, value double precision, unit text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    WITH clients AS (
        SELECT a.state, a.xact_start, a.backend_xmin, a.backend_xid, a.wait_event_type
          FROM pg_stat_activity a
         WHERE a.backend_type = 'client backend' AND a.pid <> pg_backend_pid()
           -- This database's sessions: they are what holds its vacuum back and waits on
           -- its locks. (Utilization below counts the whole server: max_connections does.)
           AND a.datname = current_database()
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
               (SELECT count(*)::float8 FROM attestor.split_views v WHERE v.log_id = l.log_id), 'records'
          FROM attestor.transparency_logs l
    )
    SELECT f.component, f.measurement, f.label, f.value, f.unit FROM figures f
    UNION ALL
    -- Last, so that it covers computing everything above.
    SELECT 'database', 'responseTime', NULL,
           extract(epoch FROM clock_timestamp() - statement_timestamp())::float8 * 1000, 'ms';
END
$$;

COMMENT ON FUNCTION health.metrics() IS
    'pgattest''s health figures, one row per (component, measurement, label): this database''s connections in use by state, the server''s utilization against max_connections, this database''s sessions waiting on locks, oldest transaction age, xmin age by holder (backend, replication slot, prepared transaction), share of the transaction-id space used, replication lag, submission queue depth, oldest pending age and dead items, VEX observations awaiting a Rekor link (counted up to 100,001), per active log the age of its newest verified checkpoint, per log its split-view records, and the server time taken. Aggregates only, no tenant data. For pgattest_monitor (and pg_monitor members) and exporters (ops/monitoring/queries.yaml).';

REVOKE ALL ON FUNCTION health.metrics() FROM PUBLIC;

ALTER FUNCTION health.metrics() OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION health.metrics() TO pgattest_monitor, pgattest_admin;
GRANT SELECT ON attestor.split_views TO pgattest_system;

COMMIT;
