-- Deploy pgattest:verdict/anchor_status to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries verdict/anchors

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.anchor_status()
RETURNS TABLE (ledger_size bigint, anchored_size bigint, unanchored_entries bigint, last_anchored_at timestamptz,
               anchor_age interval)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    SELECT coalesce((SELECT e.seq FROM verdict.ledger_entries e WHERE e.tenant_id = tenant ORDER BY e.seq DESC LIMIT 1), 0)
      INTO ledger_size;
    SELECT coalesce(max(a.tree_size), 0), max(a.anchored_at) INTO anchored_size, last_anchored_at
      FROM verdict.anchors a WHERE a.tenant_id = tenant;
    unanchored_entries := greatest(ledger_size - anchored_size, 0);
    anchor_age := now() - last_anchored_at;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION verdict.anchor_status() IS
    'The current tenant''s ledger against its anchors: ledger_size, anchored_size (the largest anchored tree size, 0 when none), unanchored_entries, last_anchored_at (the latest anchor''s Rekor integrated time) and anchor_age (NULL when never anchored). An old anchor with unanchored entries is a health signal (verdict.anchor_ages for every tenant). For pgattest_app and pgattest_admin. Raises 42501 without a tenant.';
REVOKE ALL ON FUNCTION verdict.anchor_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.anchor_status() TO pgattest_app, pgattest_admin;

COMMIT;
