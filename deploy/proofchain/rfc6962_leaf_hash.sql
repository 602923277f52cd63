-- Deploy pgattest:proofchain/rfc6962_leaf_hash to pg
-- requires: _pgattest/define_py_function
-- RFC 9162 Merkle leaf hash, from plpython/pgattest/merkle.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.rfc6962_leaf_hash(data bytea)',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'rfc6962_leaf_hash');

COMMENT ON FUNCTION proofchain.rfc6962_leaf_hash(bytea) IS
    'RFC 9162 (2.1.1) Merkle leaf hash: SHA-256(0x00 || data). NULL in, NULL out.';

ALTER FUNCTION proofchain.rfc6962_leaf_hash(bytea) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.rfc6962_leaf_hash(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.rfc6962_leaf_hash(bytea) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
