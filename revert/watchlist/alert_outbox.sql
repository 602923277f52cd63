-- Revert pgattest:watchlist/alert_outbox from pg

BEGIN;

DROP TABLE watchlist.alert_outbox;

COMMIT;
