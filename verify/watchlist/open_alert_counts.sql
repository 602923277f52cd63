-- Verify pgattest:watchlist/open_alert_counts on pg

BEGIN;

SELECT 'watchlist.open_alert_counts()'::regprocedure;

ROLLBACK;
