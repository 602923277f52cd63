-- Revert pgattest:watchlist/backfill from pg

\ir ../../deploy/watchlist/backfill@v1.1.0.sql
