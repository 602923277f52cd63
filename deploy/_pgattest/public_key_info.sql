-- Deploy pgattest:_pgattest/public_key_info to pg
-- requires: _pgattest/define_py_function
-- Internal: a PEM public key's algorithm, key id and DER, from plpython/pgattest/keys.py.
-- Called by the store's SECURITY DEFINER functions; no client grants.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.public_key_info(public_key_pem text, OUT algorithm text, OUT key_id text, OUT der bytea)',
    'record', 'IMMUTABLE STRICT PARALLEL SAFE', 'public_key_info');

COMMENT ON FUNCTION _pgattest.public_key_info(text) IS
    'Algorithm (ecdsa-p256, ecdsa-p384, ed25519, rsa), key id (hex SHA-256 of the DER SubjectPublicKeyInfo) and DER of a PEM public key.';

ALTER FUNCTION _pgattest.public_key_info(text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.public_key_info(text) FROM PUBLIC;

COMMIT;
