-- Revert pgattest:_pgattest/parse_dsse_envelope from pg

BEGIN;

DROP FUNCTION _pgattest.parse_dsse_envelope(jsonb);

COMMIT;
