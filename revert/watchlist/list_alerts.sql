-- Revert pgattest:watchlist/list_alerts from pg

BEGIN;

DROP FUNCTION watchlist.list_alerts(timestamptz, text, uuid, boolean, integer);

COMMIT;
