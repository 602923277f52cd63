-- Deploy pgattest:_pgattest/hide_statistics to pg
-- requires: roles schemas
-- Issue 15 item 2: the planner's estimates come from statistics gathered over every
-- tenant's rows, and EXPLAIN shows them to anyone who may query the table: a prefix
-- search over EXPLAIN SELECT 1 FROM vex.observations WHERE tenant_id = '...' recovered
-- every tenant id, and another tenant's purls, through row-level security. pg_stats
-- hides those tables, but the estimates still leak. So a tenant table keeps no
-- per-column statistics at all (statistics target 0: ANALYZE still counts its rows and
-- pages, which the catalog shows anyway): the planner takes its default selectivities,
-- which reveal nothing. bench/vex_links.py measures what that costs the benchmarks'
-- queries (their plans stay index scans). _pgattest.enable_tenancy calls this for
-- every new tenant table; this change applies it to the tenant tables that exist (those
-- with the tenant_isolation policy), and the deploying superuser deletes the statistics
-- ANALYZE already gathered for them, which a target of 0 would otherwise keep.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.hide_statistics(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col record;
BEGIN
    -- Every column of the table, and every expression column of its indexes (those have
    -- statistics of their own).
    FOR col IN
        SELECT 'TABLE' AS kind, a.attrelid::regclass AS rel, quote_ident(a.attname) AS ref
          FROM pg_attribute a
         WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> 0
        UNION ALL
        SELECT 'INDEX', i.indexrelid::regclass, (k.n + 1)::text  -- indkey counts from 0, ALTER COLUMN from 1
          FROM pg_index i, generate_subscripts(i.indkey, 1) AS k(n)
         WHERE i.indrelid = target AND i.indkey[k.n] = 0
    LOOP
        EXECUTE format('ALTER %s %s ALTER COLUMN %s SET STATISTICS 0', col.kind, col.rel, col.ref);
    END LOOP;
END
$$;

COMMENT ON FUNCTION _pgattest.hide_statistics(regclass) IS
    'Sets the statistics target of every column of a tenant table (and of its indexes'' expression columns) to 0, so that ANALYZE gathers no value distribution of any tenant''s data for the planner to show through EXPLAIN (issue 15 item 2). Called by _pgattest.enable_tenancy; call it again after adding an expression index to a tenant table.';
REVOKE ALL ON FUNCTION _pgattest.hide_statistics(regclass) FROM PUBLIC;

SELECT _pgattest.hide_statistics(p.polrelid)
  FROM pg_policy p
 WHERE p.polname = 'tenant_isolation'
 ORDER BY p.polrelid;

RESET ROLE;
DELETE FROM pg_catalog.pg_statistic s
 USING pg_policy p
 WHERE p.polname = 'tenant_isolation'
   AND (s.starelid = p.polrelid OR s.starelid IN (SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = p.polrelid));

COMMIT;
