-- Deploy pgattest:_pgattest/triage_vex_status_rows to pg
-- requires: vex/observations vex/pending_rekor_links
-- What the materialized view _pgattest.triage_vex_status holds, computed across every
-- tenant. A materialized view is refreshed as its owner, pgattest_owner, which forced
-- row-level security limits to the current tenant (none during a refresh: an empty
-- view), so the view reads through this function, owned by pgattest_system (BYPASSRLS),
-- executable by pgattest_owner alone. pgattest_system's SELECT on vex.observations is
-- granted by vex/pending_rekor_links.

BEGIN;

-- No SET ROLE: created by the deploying superuser and handed to pgattest_system below.
CREATE OR REPLACE FUNCTION _pgattest.triage_vex_status_rows()
RETURNS TABLE (tenant_id text, status text, observations bigint, current_observations bigint, vulnerabilities bigint,
               products bigint, pending_rekor_links bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.tenant_id, o.status, count(*),
           count(*) FILTER (WHERE NOT EXISTS (SELECT FROM vex.observations n
                                               WHERE n.tenant_id = o.tenant_id AND n.supersedes = o.id)),
           count(DISTINCT o.vulnerability_id), count(DISTINCT o.product_key),
           count(*) FILTER (WHERE o.rekor_entry_id IS NULL)
      FROM vex.observations o
     GROUP BY o.tenant_id, o.status
$$;

COMMENT ON FUNCTION _pgattest.triage_vex_status_rows() IS
    'Across every tenant, per tenant and VEX status: observations, the current ones (superseded by none), distinct vulnerabilities and products, and observations still waiting for their Rekor link. The query of the materialized view _pgattest.triage_vex_status; owned by pgattest_system, executable by pgattest_owner (the view''s owner) only.';

REVOKE ALL ON FUNCTION _pgattest.triage_vex_status_rows() FROM PUBLIC;
ALTER FUNCTION _pgattest.triage_vex_status_rows() OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION _pgattest.triage_vex_status_rows() TO pgattest_owner;

COMMIT;
