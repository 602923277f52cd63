-- Deploy pgattest:merkle_verify to pg
-- requires: pylib
-- Thin wrappers made by _pgattest.define_py_function: the algorithms are
-- plpython/pgattest/merkle.py, loaded once per process (see ops/gen_pylib.py). No SET
-- search_path: these invoker functions run no SQL, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.rfc6962_leaf_hash(data bytea)',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'rfc6962_leaf_hash');

SELECT _pgattest.define_py_function(
    'proofchain.rfc6962_node_hash(left_hash bytea, right_hash bytea)',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'rfc6962_node_hash');

SELECT _pgattest.define_py_function(
    'proofchain.verify_inclusion(leaf_hash bytea, leaf_index bigint, tree_size bigint, proof bytea[], root_hash bytea)',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_inclusion');

SELECT _pgattest.define_py_function(
    'proofchain.verify_consistency(old_size bigint, new_size bigint, old_root bytea, new_root bytea, proof bytea[])',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_consistency');

COMMENT ON FUNCTION proofchain.rfc6962_leaf_hash(bytea) IS
    'RFC 9162 (2.1.1) Merkle leaf hash: SHA-256(0x00 || data). NULL in, NULL out.';
COMMENT ON FUNCTION proofchain.rfc6962_node_hash(bytea, bytea) IS
    'RFC 9162 (2.1.1) Merkle interior node hash: SHA-256(0x01 || left || right). Both hashes must be 32 bytes (else SQLSTATE 22023).';
COMMENT ON FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea) IS
    'RFC 9162 (2.1.3.2) inclusion proof: true when the audit path proof leads from leaf_hash at leaf_index to root_hash in a tree of tree_size leaves, false for a well-formed proof that does not (including a path of the wrong length). Raises 22023 for malformed arguments: hashes not 32 bytes, negative sizes, leaf_index >= tree_size, more than 64 proof hashes; 22004 for a NULL proof element.';
COMMENT ON FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) IS
    'RFC 9162 (2.1.4.2) consistency proof: true when proof shows the tree of old_size leaves with root old_root is a prefix of the tree of new_size leaves with root new_root, false for a well-formed proof that does not. Raises 22023 for malformed arguments (hashes not 32 bytes, negative sizes, old_size 0 (a proof from the empty tree is meaningless, as in transparency-dev/merkle), old_size > new_size, more than 64 proof hashes); 22004 for a NULL proof element.';

ALTER FUNCTION proofchain.rfc6962_leaf_hash(bytea) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.rfc6962_node_hash(bytea, bytea) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) OWNER TO pgattest_owner;

REVOKE ALL ON FUNCTION proofchain.rfc6962_leaf_hash(bytea), proofchain.rfc6962_node_hash(bytea, bytea),
    proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea),
    proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.rfc6962_leaf_hash(bytea), proofchain.rfc6962_node_hash(bytea, bytea),
    proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea),
    proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[])
    TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
