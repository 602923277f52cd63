-- Deploy pgattest:audit/maintain_partitions to pg
-- requires: roles schemas core/current_tenant _pgattest/setting_int
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
    keep    integer := coalesce(retention_months, _pgattest.setting_int('pgattest.audit_retention_months', 13));
    detach  boolean := _pgattest.setting_int('pgattest.audit_detach_expired', 0) = 1;
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
    IF keep IS NULL OR keep NOT BETWEEN 1 AND 1200 THEN
        RAISE EXCEPTION 'retention of % months is out of range', keep
            USING ERRCODE = '22023', HINT = 'Keep between 1 and 1200 months.';
    END IF;
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
    'Partition life cycle of audit.events: creates the monthly (UTC) partitions from the current month to months_ahead ahead (default pgattest.audit_months_ahead, 3), each with row-level security enabled and forced, the tenant policy and no grants; drops (or detaches, when pgattest.audit_detach_expired = 1) partitions ending before the current month minus retention_months (default pgattest.audit_retention_months, 13). Returns one row per partition created, dropped or detached. 22023 for out-of-range arguments. Run daily from pg_cron or the worker.';

REVOKE ALL ON FUNCTION audit.maintain_partitions(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.maintain_partitions(integer, integer) TO pgattest_worker, pgattest_admin;

COMMIT;
