-- Verify pgattest:watchlist/delete_rule on pg

BEGIN;

SELECT 'watchlist.delete_rule(uuid)'::regprocedure;

ROLLBACK;
