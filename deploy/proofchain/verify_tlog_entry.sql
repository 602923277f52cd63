-- Deploy pgattest:proofchain/verify_tlog_entry to pg
-- requires: proofchain/verify_tlog_entry@v1.0.0 _pgattest/verify_tlog_entry_at _pgattest/define_py_function
-- One transparency-log entry, end to end, from plpython/pgattest/tlog.py.
-- The two-argument form is a thin wrapper (see _pgattest/define_py_function; no SET
-- search_path: it runs no SQL once the library is loaded). The four-argument form adds
-- what a caller may know that the entry does not say: whether it comes from a Sigstore
-- bundle v0.1 (whose entries may go without an inclusion proof), and the time it verifies
-- at (held against the log key's window when no signed entry timestamp gives one).

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_tlog_entry(entry jsonb, trusted_root jsonb)',
    'jsonb', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_tlog_entry');

COMMENT ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) IS
    'Verifies one transparency-log entry, as found in a Sigstore bundle (verificationMaterial.tlogEntries[i]) or as returned by the Rekor v1 REST API, with the log key chosen from a Sigstore trusted_root.json by log id (every log''s validFor must state its start). Checks the leaf hash of the canonicalized body, the inclusion proof (shard-local index), the checkpoint signature (Rekor v1: the line with the key''s 4-byte hint, whatever its name; Rekor v2: the C2SP key id of the log''s name) and that the checkpoint''s size and root equal the proof''s, for Rekor v2 that the checkpoint''s origin is the log''s name and the entry''s logIndex is the proof''s, the signed entry timestamp when present (Rekor v1), and the key''s validity window (closed at both ends) at the integrated time the SET vouches for. An inclusion proof without a checkpoint proves nothing: such an entry fails checkpoint_signature, and an entry without an inclusion proof raises 22023 (see the four-argument form for Sigstore bundle v0.1 entries). Returns {"verified": bool, "checks": {check: true|false|null (not performed)}, "error": text naming the failed check and what it looked for|null, "entry": {normalized fields; only values a signature or the proof covers: no integrated time without a SET, no Rekor v1 global index without a SET, an entry id whose tree id is the signed checkpoint''s}}. Raises 22023 (22P02 for bad base64, 22007 for a validFor time that does not parse) for a malformed entry or trusted root.';

ALTER FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb) TO pgattest_app, pgattest_worker, pgattest_admin;

SET LOCAL ROLE pgattest_owner;

-- SECURITY DEFINER: it calls the internal wrapper, which no client role may call.
CREATE OR REPLACE FUNCTION proofchain.verify_tlog_entry(entry jsonb, trusted_root jsonb, allow_set_only boolean,
                                                        verified_at timestamptz)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN entry IS NOT NULL AND trusted_root IS NOT NULL THEN
        _pgattest.verify_tlog_entry_at(entry, trusted_root, coalesce(allow_set_only, false),
                                       extract(epoch FROM verified_at)::double precision) END
$$;

COMMENT ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb, boolean, timestamptz) IS
    'proofchain.verify_tlog_entry(entry, trusted_root) with two facts the entry does not state. allow_set_only: the entry comes from a Sigstore bundle v0.1 (mediaType application/vnd.dev.sigstore.bundle+json;version=0.1), whose entries may lack the inclusion proof or its checkpoint; such an entry then verifies on its signed entry timestamp alone, with the inclusion checks reported null (not performed), never true; a proof that does not reproduce its own root still fails. verified_at: for an entry without a signed entry timestamp (Rekor v2, or a Rekor v1 entry without one), the time held against the log key''s validity window (e.g. when its checkpoint was fetched); NULL leaves log_key_valid null for such entries. NULL entry or trusted_root gives NULL. Raises as the two-argument form, and 22007 for an infinite verified_at.';
REVOKE ALL ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb, boolean, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_tlog_entry(jsonb, jsonb, boolean, timestamptz) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
