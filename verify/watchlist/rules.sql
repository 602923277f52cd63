-- Verify pgattest:watchlist/rules on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, name, description, issuer_pattern, san_pattern, key_pattern,
       match_mode, severity, enabled, dedup_minutes, version
  FROM watchlist.rules WHERE false;

ROLLBACK;
