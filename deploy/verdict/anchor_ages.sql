-- Deploy pgattest:verdict/anchor_ages to pg
-- requires: roles schemas core/tenants verdict/ledger_entries verdict/anchors
-- Anchor age of every tenant, for operators and the health checks: across tenants, so
-- owned by pgattest_system (BYPASSRLS), which reads the two tables and core.tenants.

BEGIN;

CREATE OR REPLACE FUNCTION verdict.anchor_ages()
RETURNS TABLE (tenant_id text, ledger_size bigint, anchored_size bigint, unanchored_entries bigint,
               last_anchored_at timestamptz, anchor_age interval)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.tenant_id, l.size, coalesce(a.size, 0), greatest(l.size - coalesce(a.size, 0), 0), a.at, now() - a.at
      FROM core.tenants t
     CROSS JOIN LATERAL (SELECT coalesce((SELECT e.seq FROM verdict.ledger_entries e
                                           WHERE e.tenant_id = t.tenant_id ORDER BY e.seq DESC LIMIT 1), 0) AS size) l
     CROSS JOIN LATERAL (SELECT max(x.tree_size) AS size, max(x.anchored_at) AS at
                           FROM verdict.anchors x WHERE x.tenant_id = t.tenant_id) a
     WHERE l.size > 0 OR a.size IS NOT NULL
     ORDER BY t.tenant_id
$$;

COMMENT ON FUNCTION verdict.anchor_ages() IS
    'For every tenant with a ledger: ledger_size, anchored_size, unanchored_entries, last_anchored_at and anchor_age (NULL when never anchored), as verdict.anchor_status gives one tenant. Across tenants (owned by pgattest_system): for pgattest_admin and the health checks, which alert on an old anchor with unanchored entries.';
REVOKE ALL ON FUNCTION verdict.anchor_ages() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.anchor_ages() TO pgattest_admin;
ALTER FUNCTION verdict.anchor_ages() OWNER TO pgattest_system;
GRANT SELECT (tenant_id, seq) ON verdict.ledger_entries TO pgattest_system;

COMMIT;
