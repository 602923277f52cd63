-- Revert pgattest:watchlist/delete_global_rule from pg

BEGIN;

DROP FUNCTION watchlist.delete_global_rule(uuid);

COMMIT;
