-- Verify pgattest:watchlist/list_rules on pg

BEGIN;

SELECT 'watchlist.list_rules()'::regprocedure;

ROLLBACK;
