-- Revert pgattest:key_helpers from pg

BEGIN;

DROP FUNCTION _pgattest.body_mismatch(bytea, jsonb);
DROP FUNCTION _pgattest.parse_dsse_envelope(jsonb);
DROP FUNCTION _pgattest.log_key(text, text, text);
DROP FUNCTION _pgattest.public_key_info(text);

COMMIT;
