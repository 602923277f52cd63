-- Revert pgattest:watchlist/delete_rule from pg

BEGIN;

DROP FUNCTION watchlist.delete_rule(uuid);

COMMIT;
