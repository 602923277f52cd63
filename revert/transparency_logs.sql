-- Revert pgattest:transparency_logs from pg

BEGIN;

DROP FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean);
DROP FUNCTION attestor.trusted_root(text);
DROP TABLE attestor.transparency_logs;
DROP FUNCTION _pgattest.der_to_pem(bytea);

COMMIT;
