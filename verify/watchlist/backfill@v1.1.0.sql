-- Verify pgattest:watchlist/backfill on pg

BEGIN;

SELECT 'watchlist.backfill(uuid, timestamptz)'::regprocedure;

ROLLBACK;
