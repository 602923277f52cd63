-- Revert pgattest:watchlist/rules from pg

BEGIN;

DROP TABLE watchlist.rules;

COMMIT;
