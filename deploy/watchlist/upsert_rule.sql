-- Deploy pgattest:watchlist/upsert_rule to pg
-- requires: core/require_tenant watchlist/rules _pgattest/check_watch_rule
-- Creates or changes (by name) one of the current tenant's watchlist rules. Rules are
-- read by the matching at each new entry, so a change applies to the next entry.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.upsert_rule(
    name text, match_mode text, severity text,
    issuer_pattern text DEFAULT NULL, san_pattern text DEFAULT NULL, key_pattern text DEFAULT NULL,
    description text DEFAULT NULL, enabled boolean DEFAULT true, dedup_minutes integer DEFAULT 60)
RETURNS TABLE (rule_id uuid, version integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    tenant text := core.require_tenant();
BEGIN
    PERFORM _pgattest.check_watch_rule(upsert_rule.name, upsert_rule.match_mode, upsert_rule.severity,
                                       upsert_rule.issuer_pattern, upsert_rule.san_pattern, upsert_rule.key_pattern,
                                       upsert_rule.description, upsert_rule.enabled, upsert_rule.dedup_minutes);
    -- One writer per tenant at a time, so the limit holds under concurrency.
    PERFORM pg_advisory_xact_lock(hashtext('pgattest.watchlist.rules'), hashtext(tenant));
    IF NOT EXISTS (SELECT FROM watchlist.rules r WHERE r.tenant_id = tenant AND r.name = upsert_rule.name)
       AND (SELECT count(*) FROM watchlist.rules r WHERE r.tenant_id = tenant) >= 1000 THEN
        RAISE EXCEPTION 'tenant % has 1000 watchlist rules already; cannot add %', tenant, quote_literal(left(upsert_rule.name, 80))
            USING ERRCODE = '54000', HINT = 'Delete a rule (watchlist.delete_rule) or combine rules with a glob or regex.';
    END IF;
    RETURN QUERY
    INSERT INTO watchlist.rules AS r (tenant_id, name, description, issuer_pattern, san_pattern, key_pattern,
                                      match_mode, severity, enabled, dedup_minutes)
    VALUES (tenant, upsert_rule.name, upsert_rule.description, upsert_rule.issuer_pattern, upsert_rule.san_pattern,
            upsert_rule.key_pattern, upsert_rule.match_mode, upsert_rule.severity, upsert_rule.enabled,
            upsert_rule.dedup_minutes)
    ON CONFLICT (tenant_id, name) DO UPDATE
       SET description = excluded.description, issuer_pattern = excluded.issuer_pattern,
           san_pattern = excluded.san_pattern, key_pattern = excluded.key_pattern,
           match_mode = excluded.match_mode, severity = excluded.severity, enabled = excluded.enabled,
           dedup_minutes = excluded.dedup_minutes, version = r.version + 1
    RETURNING r.id, r.version;
END
$$;

COMMENT ON FUNCTION watchlist.upsert_rule(text, text, text, text, text, text, text, boolean, integer) IS
    'Creates or replaces (by name) a watchlist rule of the current tenant; returns its rule_id and version (1, then +1 per change). At least one of issuer_pattern, san_pattern, key_pattern (all given must match); match_mode exact (case-insensitive), prefix, glob (* and ?) or regex (PostgreSQL ARE, no back references); patterns of 1 to 256 characters; severity critical, warning or info; alerts of one identity within dedup_minutes (default 60) are counted as occurrences. Applies to the next stored entry; watchlist.backfill applies it to stored ones. 42501 without a tenant; 22004, 22023, 2201B (regex) for bad rules; 54000 beyond 1,000 rules per tenant.';
REVOKE ALL ON FUNCTION watchlist.upsert_rule(text, text, text, text, text, text, text, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.upsert_rule(text, text, text, text, text, text, text, boolean, integer)
    TO pgattest_app, pgattest_admin;

COMMIT;
