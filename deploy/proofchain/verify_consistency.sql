-- Deploy pgattest:proofchain/verify_consistency to pg
-- requires: _pgattest/define_py_function
-- RFC 9162 consistency proofs, from plpython/pgattest/merkle.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.verify_consistency(old_size bigint, new_size bigint, old_root bytea, new_root bytea, proof bytea[])',
    'boolean', 'IMMUTABLE STRICT PARALLEL SAFE', 'verify_consistency');

COMMENT ON FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) IS
    'RFC 9162 (2.1.4.2) consistency proof: true when proof shows the tree of old_size leaves with root old_root is a prefix of the tree of new_size leaves with root new_root, false for a well-formed proof that does not. Raises 22023 for malformed arguments (hashes not 32 bytes, negative sizes, old_size 0 (a proof from the empty tree is meaningless, as in transparency-dev/merkle), old_size > new_size, more than 64 proof hashes); 22004 for a NULL proof element.';

ALTER FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
