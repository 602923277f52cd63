-- Revert pgattest:_pgattest/verify_stored_completions from pg

BEGIN;

DROP FUNCTION _pgattest.verify_stored_completions(_pgattest.completion_item[], text);

COMMIT;
