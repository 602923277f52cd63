-- Deploy pgattest:watchlist/upsert_global_rule to pg
-- requires: watchlist/global_rules _pgattest/check_watch_rule
-- Operators' rules, matched against every tenant's new entries. Only pgattest_admin may
-- run it (the grant is the check).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION watchlist.upsert_global_rule(
    name text, match_mode text, severity text,
    issuer_pattern text DEFAULT NULL, san_pattern text DEFAULT NULL, key_pattern text DEFAULT NULL,
    description text DEFAULT NULL, enabled boolean DEFAULT true, dedup_minutes integer DEFAULT 60)
RETURNS TABLE (rule_id uuid, version integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    PERFORM _pgattest.check_watch_rule(upsert_global_rule.name, upsert_global_rule.match_mode, upsert_global_rule.severity,
                                       upsert_global_rule.issuer_pattern, upsert_global_rule.san_pattern,
                                       upsert_global_rule.key_pattern, upsert_global_rule.description,
                                       upsert_global_rule.enabled, upsert_global_rule.dedup_minutes);
    RETURN QUERY
    INSERT INTO watchlist.global_rules AS r (name, description, issuer_pattern, san_pattern, key_pattern,
                                             match_mode, severity, enabled, dedup_minutes)
    VALUES (upsert_global_rule.name, upsert_global_rule.description, upsert_global_rule.issuer_pattern,
            upsert_global_rule.san_pattern, upsert_global_rule.key_pattern, upsert_global_rule.match_mode,
            upsert_global_rule.severity, upsert_global_rule.enabled, upsert_global_rule.dedup_minutes)
    ON CONFLICT (name) DO UPDATE
       SET description = excluded.description, issuer_pattern = excluded.issuer_pattern,
           san_pattern = excluded.san_pattern, key_pattern = excluded.key_pattern,
           match_mode = excluded.match_mode, severity = excluded.severity, enabled = excluded.enabled,
           dedup_minutes = excluded.dedup_minutes, version = r.version + 1
    RETURNING r.id, r.version;
END
$$;

COMMENT ON FUNCTION watchlist.upsert_global_rule(text, text, text, text, text, text, text, boolean, integer) IS
    'Creates or replaces (by name) a global watchlist rule, matched against every tenant''s new entries (the alert goes to the tenant whose entry matched); same arguments, checks and errors as watchlist.upsert_rule. Operators (pgattest_admin) only.';
REVOKE ALL ON FUNCTION watchlist.upsert_global_rule(text, text, text, text, text, text, text, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION watchlist.upsert_global_rule(text, text, text, text, text, text, text, boolean, integer)
    TO pgattest_admin;

COMMIT;
