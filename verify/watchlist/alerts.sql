-- Verify pgattest:watchlist/alerts on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, rule_id, rule_scope, rule_name, rule_version, severity, field,
       value, identity, window_start, rekor_entry_id, last_rekor_entry_id, first_seen_at, last_seen_at,
       occurrences, acknowledged_at, acknowledged_by
  FROM watchlist.alerts WHERE false;

ROLLBACK;
