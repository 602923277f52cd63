-- Deploy pgattest:watchlist/list_rules to pg
-- requires: core/require_tenant watchlist/rules watchlist/global_rules
-- A tenant sees its rules and the global ones that apply to its entries.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.list_rules()
RETURNS TABLE (rule_id uuid, scope text, name text, description text, issuer_pattern text, san_pattern text,
               key_pattern text, match_mode text, severity text, enabled boolean, dedup_minutes integer,
               version integer, updated_at timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    RETURN QUERY
    SELECT r.id, 'tenant'::text, r.name, r.description, r.issuer_pattern, r.san_pattern, r.key_pattern, r.match_mode,
           r.severity, r.enabled, r.dedup_minutes, r.version, r.updated_at
      FROM watchlist.rules r WHERE r.tenant_id = tenant
    UNION ALL
    SELECT g.id, 'global'::text, g.name, g.description, g.issuer_pattern, g.san_pattern, g.key_pattern, g.match_mode,
           g.severity, g.enabled, g.dedup_minutes, g.version, g.updated_at
      FROM watchlist.global_rules g
     ORDER BY 2 DESC, 3;
END
$$;

COMMENT ON FUNCTION watchlist.list_rules() IS
    'The watchlist rules that apply to the current tenant''s entries: its own (scope tenant) and the global ones (scope global). 42501 without a tenant.';
REVOKE ALL ON FUNCTION watchlist.list_rules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.list_rules() TO pgattest_app, pgattest_admin;

COMMIT;
