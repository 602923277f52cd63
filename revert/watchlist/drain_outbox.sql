-- Revert pgattest:watchlist/drain_outbox from pg

BEGIN;

DROP FUNCTION watchlist.drain_outbox(integer);

COMMIT;
