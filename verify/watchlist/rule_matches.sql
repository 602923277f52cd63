-- Verify pgattest:watchlist/rule_matches on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, rule_id, rekor_entry_id, field, value_digest
  FROM watchlist.rule_matches WHERE false;

ROLLBACK;
