-- Deploy pgattest:_pgattest/verify_stored_completions to pg
-- requires: _pgattest/define_py_function _pgattest/completion_item
-- The completion's verifier, from plpython/pgattest/rekor.py: one PL/Python call per
-- batch verifies every entry (the logs' keys decoded once per registration, a shared
-- checkpoint parsed and verified once) against the envelope as proofchain.dsse_envelopes
-- stores it (payload type, payload bytes, signatures: no envelope written out as JSON in
-- SQL and parsed again in Python), and returns each entry typed for storing, keyed by its
-- submission.

BEGIN;

-- plpython3u is untrusted: the deploying superuser creates the function, then hands it over.
SELECT _pgattest.define_py_function(
    '_pgattest.verify_stored_completions(items _pgattest.completion_item[], logs text)',
    'TABLE (submission_id uuid, uuid text, entry_id text, log_index bigint, shard_log_index bigint, '
    'integrated_time bigint, kind text, kind_version text, body bytea, leaf_hash bytea, root_hash bytea, '
    'tree_size bigint, hashes bytea[], signed_entry_timestamp bytea, checkpoint text, checkpoint_origin text, '
    'checkpoint_signatures jsonb)',
    'STABLE STRICT PARALLEL SAFE', 'verify_stored_completions');

ALTER FUNCTION _pgattest.verify_stored_completions(_pgattest.completion_item[], text) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.verify_stored_completions(_pgattest.completion_item[], text) IS
    'Verifies the log entries completing claimed submissions (items: one _pgattest.completion_item each; logs: {log_id: {name, der, details, start, end}} of the registered logs): each with the checks of proofchain.verify_tlog_entry, carrying its checkpoint, its body recording the item''s stored envelope. Returns one row per item, in order, keyed by submission_id, with the entry and its checkpoint typed for storing; raises 22023 (or 22P02) naming the first submission whose entry is malformed, does not verify, lacks a checkpoint or records another envelope, 22023 when a stored envelope is unreadable, 22004 for a NULL item.';
REVOKE ALL ON FUNCTION _pgattest.verify_stored_completions(_pgattest.completion_item[], text) FROM PUBLIC;
-- The completion runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.verify_stored_completions(_pgattest.completion_item[], text) TO pgattest_system;

COMMIT;
