-- Deploy pgattest:_pgattest/spine_root to pg
-- requires: roles schemas _pgattest/define_py_function _pgattest/pylib
-- A thin wrapper made by _pgattest.define_py_function: the tree hash is
-- plpython/pgattest/spine.py. No SET search_path: it runs no SQL. plpython3u is
-- untrusted: the deploying superuser creates it, then hands it over.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.spine_root(segments text[])',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'spine_root');
ALTER FUNCTION _pgattest.spine_root(text[]) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.spine_root(text[]) IS
    'RFC 9162 Merkle tree hash over the segments (''label:id'' strings, each a leaf), in order.';
REVOKE ALL ON FUNCTION _pgattest.spine_root(text[]) FROM PUBLIC;

COMMIT;
