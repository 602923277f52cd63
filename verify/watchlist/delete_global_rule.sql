-- Verify pgattest:watchlist/delete_global_rule on pg

BEGIN;

SELECT 'watchlist.delete_global_rule(uuid)'::regprocedure;

ROLLBACK;
