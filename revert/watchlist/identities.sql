-- Revert pgattest:watchlist/identities from pg

BEGIN;

DROP TABLE watchlist.identities;

COMMIT;
