-- Deploy pgattest:key_helpers to pg
-- requires: pylib
-- Internal PL/Python helpers for the store: key parsing, log ids, envelope parsing and
-- matching a log entry's body to the envelope it records. Called by the store's
-- SECURITY DEFINER functions (owned by the owner, or pgattest_system); no client grants.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.public_key_info(public_key_pem text, OUT algorithm text, OUT key_id text, OUT der bytea)',
    'record', 'IMMUTABLE STRICT PARALLEL SAFE', 'public_key_info');

SELECT _pgattest.define_py_function(
    '_pgattest.log_key(api_version text, key_name text, public_key_pem text, OUT log_id text, OUT der bytea, OUT key_details text)',
    'record', 'IMMUTABLE PARALLEL SAFE', 'log_key');

SELECT _pgattest.define_py_function(
    '_pgattest.parse_dsse_envelope(envelope jsonb, OUT payload_type text, OUT payload bytea, OUT signatures jsonb)',
    'record', 'IMMUTABLE STRICT PARALLEL SAFE', 'parse_dsse_envelope');

SELECT _pgattest.define_py_function(
    '_pgattest.body_mismatch(canonicalized_body bytea, envelope jsonb)',
    'text', 'IMMUTABLE STRICT PARALLEL SAFE', 'body_mismatch');

COMMENT ON FUNCTION _pgattest.public_key_info(text) IS 'Algorithm (ecdsa-p256, ecdsa-p384, ed25519, rsa), key id (hex SHA-256 of the DER SubjectPublicKeyInfo) and DER of a PEM public key.';
COMMENT ON FUNCTION _pgattest.log_key(text, text, text) IS 'Log id, DER key and Sigstore key details of a transparency log key (Rekor v1: ECDSA P-256; Rekor v2: Ed25519).';
COMMENT ON FUNCTION _pgattest.parse_dsse_envelope(jsonb) IS 'payloadType, decoded payload and signatures ([{keyid, sig}] with sig in standard base64) of a DSSE envelope.';
COMMENT ON FUNCTION _pgattest.body_mismatch(bytea, jsonb) IS 'NULL when the canonicalized body of a log entry (dsse 0.0.1, hashedrekord 0.0.1 or 0.0.2 over the DSSE PAE) records this envelope; otherwise why not.';

ALTER FUNCTION _pgattest.public_key_info(text) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.log_key(text, text, text) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.parse_dsse_envelope(jsonb) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.body_mismatch(bytea, jsonb) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.public_key_info(text), _pgattest.log_key(text, text, text),
    _pgattest.parse_dsse_envelope(jsonb), _pgattest.body_mismatch(bytea, jsonb) FROM PUBLIC;
-- The cross-tenant queue functions run as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.body_mismatch(bytea, jsonb), _pgattest.parse_dsse_envelope(jsonb)
    TO pgattest_system;

COMMIT;
