-- Deploy pgattest:triage/vex_top to pg
-- requires: core/require_tenant _pgattest/triage_vex_top _pgattest/triage_views
-- The tenant-filtering access path to _pgattest.triage_vex_top (see triage/vex_status).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION triage.vex_top(dimension text DEFAULT 'vulnerability', max_items integer DEFAULT 10)
RETURNS TABLE (item text, affected bigint, under_investigation bigint, fixed bigint, not_affected bigint, total bigint,
               rank bigint, refreshed_at timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF dimension IS NULL OR max_items IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', CASE WHEN dimension IS NULL THEN 'dimension' ELSE 'max_items' END
            USING ERRCODE = '22004', HINT = 'Ask for dimension vulnerability or product, and 1 to 50 items.';
    END IF;
    IF dimension NOT IN ('vulnerability', 'product') THEN
        RAISE EXCEPTION 'invalid dimension %', quote_literal(left(dimension, 80))
            USING ERRCODE = '22023', HINT = 'vulnerability or product.';
    END IF;
    IF max_items NOT BETWEEN 1 AND 50 THEN
        RAISE EXCEPTION 'invalid max_items %', max_items
            USING ERRCODE = '22023', HINT = 'Between 1 and 50: the view keeps the top 50 of each dimension.';
    END IF;
    RETURN QUERY
    SELECT v.item, v.affected, v.under_investigation, v.fixed, v.not_affected, v.total, v.rank,
           (SELECT t.refreshed_at FROM _pgattest.triage_views t WHERE t.view_name = '_pgattest.triage_vex_top')
      FROM _pgattest.triage_vex_top v
     WHERE v.tenant_id = tenant AND v.dimension = vex_top.dimension AND v.rank <= max_items
     ORDER BY v.rank;
END
$$;

COMMENT ON FUNCTION triage.vex_top(text, integer) IS
    'The current tenant''s top max_items (1 to 50, default 10) vulnerabilities or products (dimension) by open current VEX observations (affected or under investigation, then most observed), with counts by status; as of refreshed_at (triage.refresh). Raises 42501 without a tenant, 22004 for a NULL argument, 22023 for another dimension or max_items outside 1..50.';

REVOKE ALL ON FUNCTION triage.vex_top(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION triage.vex_top(text, integer) TO pgattest_app, pgattest_admin;

COMMIT;
