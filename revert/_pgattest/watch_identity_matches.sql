-- Revert pgattest:_pgattest/watch_identity_matches from pg

BEGIN;

DROP FUNCTION _pgattest.watch_identity_matches(text, text, text, text, text, text, text);

COMMIT;
