-- Verify pgattest:watchlist/drain_outbox on pg

BEGIN;

SELECT 'watchlist.drain_outbox(integer)'::regprocedure;

ROLLBACK;
