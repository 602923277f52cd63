-- Revert pgattest:watchlist/upsert_rule from pg

BEGIN;

DROP FUNCTION watchlist.upsert_rule(text, text, text, text, text, text, text, boolean, integer);

COMMIT;
