-- Deploy pgattest:_pgattest/triage_vex_top_rows to pg
-- requires: vex/observations vex/pending_rekor_links
-- What the materialized view _pgattest.triage_vex_top holds, across every tenant (why a
-- pgattest_system function: see _pgattest/triage_vex_status_rows). Current observations
-- only (superseded by none): a dashboard ranks what providers say now.

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.triage_vex_top_rows(max_items integer)
RETURNS TABLE (tenant_id text, dimension text, item text, affected bigint, under_investigation bigint, fixed bigint,
               not_affected bigint, total bigint, rank bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH current AS (
        SELECT o.tenant_id, o.vulnerability_id, o.product_key, o.status
          FROM vex.observations o
         WHERE NOT EXISTS (SELECT FROM vex.observations n WHERE n.tenant_id = o.tenant_id AND n.supersedes = o.id)
    ), counted AS (
        SELECT c.tenant_id, d.dimension, d.item,
               count(*) FILTER (WHERE c.status = 'affected') AS affected,
               count(*) FILTER (WHERE c.status = 'under_investigation') AS under_investigation,
               count(*) FILTER (WHERE c.status = 'fixed') AS fixed,
               count(*) FILTER (WHERE c.status = 'not_affected') AS not_affected,
               count(*) AS total
          FROM current c
         CROSS JOIN LATERAL (VALUES ('vulnerability', c.vulnerability_id), ('product', c.product_key)) AS d(dimension, item)
         GROUP BY c.tenant_id, d.dimension, d.item
    ), ranked AS (
        -- Most open first (affected or still under investigation), then most observed.
        SELECT k.*, row_number() OVER (PARTITION BY k.tenant_id, k.dimension
                                       ORDER BY k.affected + k.under_investigation DESC, k.total DESC, k.item) AS rank
          FROM counted k
    )
    SELECT r.tenant_id, r.dimension, r.item, r.affected, r.under_investigation, r.fixed, r.not_affected, r.total, r.rank
      FROM ranked r
     WHERE r.rank <= max_items
$$;

COMMENT ON FUNCTION _pgattest.triage_vex_top_rows(integer) IS
    'Across every tenant: per tenant, the max_items vulnerabilities and the max_items products with the most open current VEX observations (affected or under investigation, then most observed), with their counts by status. The query of the materialized view _pgattest.triage_vex_top; owned by pgattest_system, executable by pgattest_owner only.';

REVOKE ALL ON FUNCTION _pgattest.triage_vex_top_rows(integer) FROM PUBLIC;
ALTER FUNCTION _pgattest.triage_vex_top_rows(integer) OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION _pgattest.triage_vex_top_rows(integer) TO pgattest_owner;

COMMIT;
