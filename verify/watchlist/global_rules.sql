-- Verify pgattest:watchlist/global_rules on pg

BEGIN;

SELECT id, created_at, updated_at, name, description, issuer_pattern, san_pattern, key_pattern,
       match_mode, severity, enabled, dedup_minutes, version
  FROM watchlist.global_rules WHERE false;

ROLLBACK;
