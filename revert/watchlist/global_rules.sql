-- Revert pgattest:watchlist/global_rules from pg

BEGIN;

DROP TABLE watchlist.global_rules;

COMMIT;
