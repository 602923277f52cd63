-- Deploy pgattest:proofchain/verify_checkpoint to pg
-- requires: proofchain/verify_checkpoint@v1.0.0 _pgattest/pylib _pgattest/define_py_function
-- C2SP signed-note / tlog-checkpoint signatures, from plpython/pgattest/note.py: by a C2SP verifier
-- key, or by a PEM key (Rekor v1 ECDSA, Rekor v2 Ed25519), optionally with the origin the
-- caller expects (a signature alone does not say which log the checkpoint is of).
-- Thin wrappers (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_checkpoint(note text, vkey text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_checkpoint_vkey');

SELECT _pgattest.define_py_function(
    'proofchain.verify_checkpoint(note text, key_name text, public_key_pem text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_checkpoint_pem');

SELECT _pgattest.define_py_function(
    'proofchain.verify_checkpoint(note text, key_name text, public_key_pem text, origin text)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_checkpoint_pem_origin');

COMMENT ON FUNCTION proofchain.verify_checkpoint(text, text) IS
    'True when the checkpoint carries a valid signature by the C2SP verifier key vkey (name+keyid+base64(type||key); Ed25519 type 0x01 or witness cosignature type 0x04). Signatures by other keys are ignored; false when none verifies. Does not check the origin: compare proofchain.parse_checkpoint(note).origin with the log''s. Raises 22023 for an unparseable note or vkey, or an unknown key type.';
COMMENT ON FUNCTION proofchain.verify_checkpoint(text, text, text) IS
    'True when the checkpoint carries a valid signature by the PEM public key: ECDSA P-256 (Rekor v1) on a line whose 4-byte key hint is SHA-256 of the DER SubjectPublicKeyInfo, whatever the line''s name (the hint does not cover the name; rekor, sigstore-go and sigstore-python match alike); Ed25519 (Rekor v2) on a line named key_name with the signed-note key id of key_name. Signatures by other keys are ignored; a failing line of the key makes it false. Does not check the origin: use the four-argument form. Raises 22023 for an unparseable note or an unsupported key type, 22P02 for an undecodable PEM.';
COMMENT ON FUNCTION proofchain.verify_checkpoint(text, text, text, text) IS
    'proofchain.verify_checkpoint(note, key_name, public_key_pem) that also requires the checkpoint''s origin (its first line) to be origin, as transparency-dev/formats'' log.ParseCheckpoint and rekor-tiles do (for a Rekor v2 log the origin is its name; a Rekor v1 origin is "<host> - <tree id>"). False when the origin differs.';

ALTER FUNCTION proofchain.verify_checkpoint(text, text) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.verify_checkpoint(text, text, text) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.verify_checkpoint(text, text, text, text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_checkpoint(text, text), proofchain.verify_checkpoint(text, text, text),
                       proofchain.verify_checkpoint(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_checkpoint(text, text), proofchain.verify_checkpoint(text, text, text),
                          proofchain.verify_checkpoint(text, text, text, text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
