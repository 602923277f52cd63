-- Revert pgattest:_pgattest/watch_match from pg

BEGIN;

DROP TYPE _pgattest.watch_match;

COMMIT;
