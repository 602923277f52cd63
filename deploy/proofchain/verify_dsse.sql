-- Deploy pgattest:proofchain/verify_dsse to pg
-- requires: _pgattest/define_py_function
-- DSSE v1 envelope signatures, from plpython/pgattest/dsse.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_dsse(envelope jsonb, public_key_pem text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_dsse');

COMMENT ON FUNCTION proofchain.verify_dsse(jsonb, text) IS
    'True when at least one signature of the DSSE envelope ({payloadType, payload, signatures[{keyid, sig}]}, standard or URL-safe base64) verifies over the PAE with the PEM public key (ECDSA P-256/SHA-256, P-384/SHA-384, Ed25519, RSA PKCS#1 v1.5 or PSS with SHA-256); false otherwise. Raises 22023 for a malformed envelope or unsupported key type, 22P02 for undecodable base64 or PEM.';

ALTER FUNCTION proofchain.verify_dsse(jsonb, text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_dsse(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_dsse(jsonb, text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
