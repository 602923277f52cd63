-- Deploy pgattest:proofchain/rfc6962_node_hash to pg
-- requires: _pgattest/define_py_function
-- RFC 9162 Merkle interior node hash, from plpython/pgattest/merkle.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.rfc6962_node_hash(left_hash bytea, right_hash bytea)',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'rfc6962_node_hash');

COMMENT ON FUNCTION proofchain.rfc6962_node_hash(bytea, bytea) IS
    'RFC 9162 (2.1.1) Merkle interior node hash: SHA-256(0x01 || left || right). Both hashes must be 32 bytes (else SQLSTATE 22023).';

ALTER FUNCTION proofchain.rfc6962_node_hash(bytea, bytea) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.rfc6962_node_hash(bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.rfc6962_node_hash(bytea, bytea) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
