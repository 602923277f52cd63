-- Deploy pgattest:dsse_verify to pg
-- requires: pylib
-- DSSE v1, from plpython/pgattest/dsse.py.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.dsse_pae(payload_type text, payload bytea)',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'dsse_pae');

SELECT _pgattest.define_py_function(
    'proofchain.verify_dsse(envelope jsonb, public_key_pem text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_dsse');

COMMENT ON FUNCTION proofchain.dsse_pae(text, bytea) IS
    'DSSE v1 pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(payload)> <payload>", the bytes a DSSE signature covers.';
COMMENT ON FUNCTION proofchain.verify_dsse(jsonb, text) IS
    'True when at least one signature of the DSSE envelope ({payloadType, payload, signatures[{keyid, sig}]}, standard or URL-safe base64) verifies over the PAE with the PEM public key (ECDSA P-256/SHA-256, P-384/SHA-384, Ed25519, RSA PKCS#1 v1.5 or PSS with SHA-256); false otherwise. Raises 22023 for a malformed envelope or unsupported key type, 22P02 for undecodable base64 or PEM.';

ALTER FUNCTION proofchain.dsse_pae(text, bytea) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.verify_dsse(jsonb, text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.dsse_pae(text, bytea), proofchain.verify_dsse(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.dsse_pae(text, bytea), proofchain.verify_dsse(jsonb, text)
    TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
