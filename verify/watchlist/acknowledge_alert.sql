-- Verify pgattest:watchlist/acknowledge_alert on pg

BEGIN;

SELECT 'watchlist.acknowledge_alert(uuid)'::regprocedure;

ROLLBACK;
