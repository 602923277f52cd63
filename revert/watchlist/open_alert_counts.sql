-- Revert pgattest:watchlist/open_alert_counts from pg

BEGIN;

DROP FUNCTION watchlist.open_alert_counts();

COMMIT;
