-- Deploy pgattest:_pgattest/verify_tlog_entry_at to pg
-- requires: _pgattest/define_py_function _pgattest/pylib
-- Internal: the library's entry verification with its two options, the time as seconds
-- since the epoch (PL/Python would receive a timestamptz as text in the session's
-- DateStyle). proofchain.verify_tlog_entry's four-argument form calls it.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.verify_tlog_entry_at(entry jsonb, trusted_root jsonb, allow_set_only boolean, at_epoch double precision)',
    'jsonb', 'IMMUTABLE PARALLEL SAFE', 'verify_tlog_entry_at');

COMMENT ON FUNCTION _pgattest.verify_tlog_entry_at(jsonb, jsonb, boolean, double precision) IS
    'proofchain.verify_tlog_entry with SET-only entries allowed or not and, for an entry without a signed entry timestamp, the time (seconds since the epoch, NULL for none) the log key''s validity window is held against.';

ALTER FUNCTION _pgattest.verify_tlog_entry_at(jsonb, jsonb, boolean, double precision) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.verify_tlog_entry_at(jsonb, jsonb, boolean, double precision) FROM PUBLIC;

COMMIT;
