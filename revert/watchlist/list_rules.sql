-- Revert pgattest:watchlist/list_rules from pg

BEGIN;

DROP FUNCTION watchlist.list_rules();

COMMIT;
