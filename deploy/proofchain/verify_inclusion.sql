-- Deploy pgattest:proofchain/verify_inclusion to pg
-- requires: _pgattest/define_py_function
-- RFC 9162 inclusion proofs, from plpython/pgattest/merkle.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_inclusion(leaf_hash bytea, leaf_index bigint, tree_size bigint, proof bytea[], root_hash bytea)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_inclusion');

COMMENT ON FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea) IS
    'RFC 9162 (2.1.3.2) inclusion proof: true when the audit path proof leads from leaf_hash at leaf_index to root_hash in a tree of tree_size leaves, false for a well-formed proof that does not (including a path of the wrong length). Raises 22023 for malformed arguments: hashes not 32 bytes, negative sizes, leaf_index >= tree_size, more than 64 proof hashes; 22004 for a NULL proof element.';

ALTER FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
