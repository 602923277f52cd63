-- Revert pgattest:watchlist/backfill from pg

BEGIN;

DROP FUNCTION watchlist.backfill(uuid, timestamptz);

COMMIT;
