-- Revert pgattest:watchlist/rule_matches from pg

BEGIN;

DROP TABLE watchlist.rule_matches;

COMMIT;
