-- Deploy pgattest:_pgattest/log_key to pg
-- requires: _pgattest/define_py_function
-- Internal: a transparency log's id, DER key and Sigstore key details, from
-- plpython/pgattest/keys.py. Called by attestor.register_transparency_log.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.log_key(api_version text, key_name text, public_key_pem text, OUT log_id text, OUT der bytea, OUT key_details text)',
    'record', 'IMMUTABLE PARALLEL SAFE', 'log_key');

COMMENT ON FUNCTION _pgattest.log_key(text, text, text) IS
    'Log id, DER key and Sigstore key details of a transparency log key (Rekor v1: ECDSA P-256; Rekor v2: Ed25519).';

ALTER FUNCTION _pgattest.log_key(text, text, text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.log_key(text, text, text) FROM PUBLIC;

COMMIT;
