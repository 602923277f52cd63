-- Verify pgattest:watchlist/list_alerts on pg

BEGIN;

SELECT 'watchlist.list_alerts(timestamptz, text, uuid, boolean, integer)'::regprocedure;

ROLLBACK;
