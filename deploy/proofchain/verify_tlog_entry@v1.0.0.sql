-- Deploy pgattest:proofchain/verify_tlog_entry to pg
-- requires: _pgattest/define_py_function
-- One transparency-log entry, end to end, from plpython/pgattest/tlog.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_tlog_entry(entry jsonb, trusted_root jsonb)',
    'jsonb', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_tlog_entry');

COMMENT ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) IS
    'Verifies one transparency-log entry, as found in a Sigstore bundle (verificationMaterial.tlogEntries[i]) or as returned by the Rekor v1 REST API, with the log key chosen from a Sigstore trusted_root.json by log id. Checks the leaf hash of the canonicalized body, the inclusion proof (shard-local index), the checkpoint signature and that the checkpoint''s size and root equal the proof''s, and the signed entry timestamp when present (Rekor v1). Works for Rekor v1 and v2. Returns {"verified": bool, "checks": {check: true|false|null}, "error": text|null, "entry": {normalized fields}}; a well-formed entry that fails a check gives verified false with error naming the check. Raises 22023 (22P02 for bad base64) for a structurally malformed entry or trusted root.';

ALTER FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
