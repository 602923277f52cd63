-- Deploy pgattest:_pgattest/triage_unknowns_by_kind_rows to pg
-- requires: unknowns/unknowns
-- What the materialized view _pgattest.triage_unknowns_by_kind holds, across every
-- tenant (why a pgattest_system function: see _pgattest/triage_vex_status_rows). As
-- known now and valid now: the current table only. Column privileges, not the table:
-- periods would extend a table-level SELECT to the history table and its view.

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.triage_unknowns_by_kind_rows()
RETURNS TABLE (tenant_id text, kind text, open bigint, resolved bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u.tenant_id, u.kind, count(*) FILTER (WHERE u.resolution IS NULL), count(*) FILTER (WHERE u.resolution IS NOT NULL)
      FROM unknowns.unknowns u
     WHERE u.valid_from <= now() AND u.valid_to > now()
     GROUP BY u.tenant_id, u.kind
$$;

COMMENT ON FUNCTION _pgattest.triage_unknowns_by_kind_rows() IS
    'Across every tenant: per tenant and kind, the unknowns open and resolved now (as known now, valid now). The query of the materialized view _pgattest.triage_unknowns_by_kind; owned by pgattest_system, executable by pgattest_owner only.';

REVOKE ALL ON FUNCTION _pgattest.triage_unknowns_by_kind_rows() FROM PUBLIC;
GRANT SELECT (tenant_id, kind, resolution, valid_from, valid_to) ON unknowns.unknowns TO pgattest_system;
ALTER FUNCTION _pgattest.triage_unknowns_by_kind_rows() OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION _pgattest.triage_unknowns_by_kind_rows() TO pgattest_owner;

COMMIT;
