-- Revert pgattest:_pgattest/locked_submission from pg

BEGIN;

DROP FUNCTION _pgattest.locked_submission(uuid);

COMMIT;
