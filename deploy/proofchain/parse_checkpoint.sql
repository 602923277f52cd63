-- Deploy pgattest:proofchain/parse_checkpoint to pg
-- requires: _pgattest/define_py_function
-- C2SP signed-note / tlog-checkpoint parsing, from plpython/pgattest/note.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.parse_checkpoint(note text, OUT origin text, OUT tree_size bigint, OUT root_hash bytea, OUT extensions text[], OUT signatures jsonb)',
    'record', 'IMMUTABLE STRICT PARALLEL SAFE', 'parse_checkpoint');

COMMENT ON FUNCTION proofchain.parse_checkpoint(text) IS
    'Parses a C2SP tlog-checkpoint signed note into origin, tree_size, root_hash, extension lines and signatures (a JSON array of {name, key_id (hex), signature (base64)}). Does not verify signatures. Raises 22023 (22P02 for bad base64) for a note that breaks the signed-note or checkpoint grammar, naming what is wrong.';

ALTER FUNCTION proofchain.parse_checkpoint(text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.parse_checkpoint(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.parse_checkpoint(text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
