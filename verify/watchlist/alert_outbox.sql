-- Verify pgattest:watchlist/alert_outbox on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, alert_id FROM watchlist.alert_outbox WHERE false;

ROLLBACK;
