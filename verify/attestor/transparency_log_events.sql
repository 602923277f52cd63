-- Verify pgattest:attestor/transparency_log_events on pg

BEGIN;

SELECT id, log_id, action, actor, changes, reason, created_at, updated_at
  FROM attestor.transparency_log_events WHERE false;

ROLLBACK;
