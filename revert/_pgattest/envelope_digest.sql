-- Revert pgattest:_pgattest/envelope_digest from pg

BEGIN;

DROP FUNCTION _pgattest.envelope_digest(text, bytea, jsonb);

COMMIT;
