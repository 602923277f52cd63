-- Deploy pgattest:proofchain/verify_checkpoint to pg
-- requires: _pgattest/define_py_function
-- C2SP signed-note / tlog-checkpoint signatures, from plpython/pgattest/note.py: by a C2SP verifier
-- key, or by a PEM key (Rekor v1 ECDSA, Rekor v2 Ed25519).
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_checkpoint(note text, vkey text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_checkpoint_vkey');

SELECT _pgattest.define_py_function(
    'proofchain.verify_checkpoint(note text, key_name text, public_key_pem text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_checkpoint_pem');

COMMENT ON FUNCTION proofchain.verify_checkpoint(text, text) IS
    'True when the checkpoint carries a valid signature by the C2SP verifier key vkey (name+keyid+base64(type||key); Ed25519 type 0x01 or witness cosignature type 0x04). Signatures by other keys are ignored; false when none verifies. Raises 22023 for an unparseable note or vkey, or an unknown key type.';
COMMENT ON FUNCTION proofchain.verify_checkpoint(text, text, text) IS
    'True when the checkpoint carries a valid signature named key_name by the PEM public key: ECDSA P-256 (Rekor v1; key id = SHA-256 of the DER SubjectPublicKeyInfo, first 4 bytes) or Ed25519 (Rekor v2; signed-note key id). Signatures by other keys are ignored. Raises 22023 for an unparseable note or an unsupported key type, 22P02 for an undecodable PEM.';

ALTER FUNCTION proofchain.verify_checkpoint(text, text) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.verify_checkpoint(text, text, text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_checkpoint(text, text), proofchain.verify_checkpoint(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_checkpoint(text, text), proofchain.verify_checkpoint(text, text, text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
