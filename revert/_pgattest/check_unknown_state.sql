-- Revert pgattest:_pgattest/check_unknown_state from pg

BEGIN;

DROP FUNCTION _pgattest.check_unknown_state(text, text, text, jsonb, text, timestamptz, timestamptz);

COMMIT;
