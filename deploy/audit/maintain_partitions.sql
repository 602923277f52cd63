-- Deploy pgattest:audit/maintain_partitions to pg
-- requires: roles schemas core/current_tenant _pgattest/setting_int _pgattest/database_setting_int _pgattest/hide_statistics audit/events
-- audit.events is partitioned by month (UTC). This function is the whole partition
-- life cycle, written here rather than with pg_partman: every partition needs row-level
-- security enabled and forced, the tenant policy and no grants (forced RLS on the parent
-- does not protect a partition queried directly), which partman 4.7 does not apply to the
-- children it makes, so we would wrap it in the same code and add an extension to install
-- on every server. It runs from pg_cron where installed, e.g.
--   SELECT cron.schedule('pgattest-audit', '17 3 * * *', 'SELECT audit.maintain_partitions()');
-- or from the worker (granted). Settings (ALTER DATABASE ... SET):
--   pgattest.audit_months_ahead (3): months created beyond the current one;
--   pgattest.audit_retention_months (13): partitions ending before the start of the
--     current month minus this many months are removed;
--   pgattest.audit_detach_expired (0): 1 detaches them (kept as tables for archiving)
--     instead of dropping them.
-- The table itself (audit/events) calls it once at deploy, so the function comes first
-- and names audit.events only in dynamic SQL.
--
-- Reworked after v1.1.0 (review of 2026-11-30):
-- * item 3: SET STATISTICS 0 on audit.events is not inherited by a partition made later
--   (CREATE TABLE ... PARTITION OF), and each leaf is analyzed on its own: one ANALYZE of
--   a partition made here put a tenant's actors in the planner's estimates, which EXPLAIN
--   shows every other tenant. Each new partition gets _pgattest.hide_statistics like
--   every tenant table; this deploy applies it to the partitions that exist and deletes
--   the statistics already gathered for them.
-- * item 4: the caller's retention_months replaced the setting, and the worker holds
--   EXECUTE: maintain_partitions(0, 1) erased twelve months of the audit log. Retention
--   is now the larger of the argument and the setting, and the setting is the database's
--   (_pgattest.database_setting_int), since any login can SET a custom setting for its
--   session: a session value, like the argument, can lengthen retention, never shorten
--   it. Likewise pgattest.audit_detach_expired = 1 in the database or the session detaches
--   (keeps the data); a session cannot make a detaching database drop. The worker calls it
--   without arguments; the signature stays (pg_cron schedules call it by name), now that
--   its arguments can only keep more.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION audit.maintain_partitions(
    months_ahead     integer DEFAULT NULL,
    retention_months integer DEFAULT NULL)
RETURNS TABLE (partition_name text, action text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    ahead   integer := coalesce(months_ahead, _pgattest.setting_int('pgattest.audit_months_ahead', 3));
    -- The floor no caller can lower: the database's setting, else 13.
    floor_months integer := _pgattest.database_setting_int('pgattest.audit_retention_months', 13);
    keep    integer;
    detach  boolean := _pgattest.database_setting_int('pgattest.audit_detach_expired', 0) = 1
                       OR _pgattest.setting_int('pgattest.audit_detach_expired', 0) = 1;
    this_month timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    cutoff  timestamptz;
    m       timestamptz;
    part    text;
    r       record;
BEGIN
    IF ahead IS NULL OR ahead NOT BETWEEN 0 AND 24 THEN
        RAISE EXCEPTION 'months ahead % is out of range', ahead
            USING ERRCODE = '22023', HINT = 'Create between 0 and 24 months ahead.';
    END IF;
    IF retention_months NOT BETWEEN 1 AND 1200 THEN
        RAISE EXCEPTION 'retention of % months is out of range', retention_months
            USING ERRCODE = '22023', HINT = 'Keep between 1 and 1200 months.';
    END IF;
    IF floor_months IS NULL OR floor_months NOT BETWEEN 1 AND 1200 THEN
        RAISE EXCEPTION 'pgattest.audit_retention_months % is out of range', floor_months
            USING ERRCODE = '22023', HINT = 'ALTER DATABASE ... SET pgattest.audit_retention_months between 1 and 1200.';
    END IF;
    -- greatest() skips NULLs: without an argument the database's setting counts, and a
    -- session's value only when it is longer (at most 1200 months).
    keep := greatest(floor_months, retention_months,
                     least(_pgattest.setting_int('pgattest.audit_retention_months', 0), 1200));
    cutoff := this_month - make_interval(months => keep);

    -- Creation: the current month and the months ahead, each once.
    FOR i IN 0 .. ahead LOOP
        m := this_month + make_interval(months => i);
        part := 'events_' || to_char(m AT TIME ZONE 'UTC', 'YYYY"m"MM');
        CONTINUE WHEN to_regclass('audit.' || part) IS NOT NULL;
        EXECUTE format('CREATE TABLE audit.%I PARTITION OF audit.events FOR VALUES FROM (%L) TO (%L)',
                       part, m, m + interval '1 month');
        -- Policies are not inherited and a partition can be queried by name: each one gets
        -- RLS forced with the tenant policy, and its owner keeps no write privilege
        -- (only pgattest_system writes, through the parent).
        EXECUTE format('ALTER TABLE audit.%I ENABLE ROW LEVEL SECURITY', part);
        EXECUTE format('ALTER TABLE audit.%I FORCE ROW LEVEL SECURITY', part);
        EXECUTE format($p$CREATE POLICY tenant_isolation ON audit.%I FOR ALL
                            USING (tenant_id = (SELECT core.current_tenant()))
                            WITH CHECK (tenant_id = (SELECT core.current_tenant()))$p$, part);
        EXECUTE format('REVOKE ALL ON audit.%I FROM PUBLIC', part);
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit.%I FROM pgattest_owner', part);
        -- The parent's statistics targets are not inherited: hide this leaf's (item 3).
        PERFORM _pgattest.hide_statistics(format('audit.%I', part)::regclass);
        partition_name := 'audit.' || part; action := 'created';
        RETURN NEXT;
    END LOOP;

    -- Retention: partitions whose upper bound is at or before the cutoff.
    FOR r IN
        SELECT c.relname,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'audit.events'::regclass
    LOOP
        CONTINUE WHEN r.upper_bound IS NULL OR r.upper_bound > cutoff;
        IF detach THEN
            EXECUTE format('ALTER TABLE audit.events DETACH PARTITION audit.%I', r.relname);
            action := 'detached';
        ELSE
            EXECUTE format('DROP TABLE audit.%I', r.relname);
            action := 'dropped';
        END IF;
        partition_name := 'audit.' || r.relname;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION audit.maintain_partitions(integer, integer) IS
    'Partition life cycle of audit.events: creates the monthly (UTC) partitions from the current month to months_ahead ahead (default pgattest.audit_months_ahead, 3), each with row-level security enabled and forced, the tenant policy, no grants and no planner statistics; drops (or detaches, when pgattest.audit_detach_expired = 1 for the database or the session) partitions ending before the current month minus the retention. The retention is the larger of retention_months and the database''s pgattest.audit_retention_months (ALTER DATABASE ... SET; 13 when unset): the argument, or a session value of the setting, can lengthen it but never shorten it, so no caller can erase audit months the operator keeps. Returns one row per partition created, dropped or detached. 22023 for out-of-range arguments or setting. Run daily from pg_cron or the worker (which passes no arguments).';

REVOKE ALL ON FUNCTION audit.maintain_partitions(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.maintain_partitions(integer, integer) TO pgattest_worker, pgattest_admin;

-- The partitions made before this rework (at deploy, and by the worker since).
SELECT _pgattest.hide_statistics(i.inhrelid::regclass)
  FROM pg_inherits i
 WHERE i.inhparent = 'audit.events'::regclass
 ORDER BY i.inhrelid;

RESET ROLE;
-- What ANALYZE gathered already stays until deleted (a target of 0 only stops new samples).
DELETE FROM pg_catalog.pg_statistic s
 USING pg_inherits i
 WHERE i.inhparent = 'audit.events'::regclass
   AND (s.starelid = i.inhrelid OR s.starelid IN (SELECT x.indexrelid FROM pg_index x WHERE x.indrelid = i.inhrelid));

COMMIT;
