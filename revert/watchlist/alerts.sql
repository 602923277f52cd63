-- Revert pgattest:watchlist/alerts from pg

BEGIN;

DROP TABLE watchlist.alerts;

COMMIT;
