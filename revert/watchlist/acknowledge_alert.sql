-- Revert pgattest:watchlist/acknowledge_alert from pg

BEGIN;

DROP FUNCTION watchlist.acknowledge_alert(uuid);

COMMIT;
