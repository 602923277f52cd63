-- Deploy pgattest:merkle_verify to pg
-- requires: pylib
-- Thin wrappers: the algorithms are plpython/pgattest/merkle.py, loaded once per
-- session by _pgattest.load_pylib(). No SET search_path: these are invoker functions
-- that name everything they touch, and a SET clause would cost every call.

BEGIN;

CREATE FUNCTION proofchain.rfc6962_leaf_hash(data bytea)
RETURNS bytea LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
AS $$
if "pgattest.call" not in GD:
    plpy.execute("SELECT _pgattest.load_pylib()")
return GD["pgattest.call"]("rfc6962_leaf_hash", data)
$$;

CREATE FUNCTION proofchain.rfc6962_node_hash(left_hash bytea, right_hash bytea)
RETURNS bytea LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
AS $$
if "pgattest.call" not in GD:
    plpy.execute("SELECT _pgattest.load_pylib()")
return GD["pgattest.call"]("rfc6962_node_hash", left_hash, right_hash)
$$;

CREATE FUNCTION proofchain.verify_inclusion(leaf_hash bytea, leaf_index bigint, tree_size bigint,
                                            proof bytea[], root_hash bytea)
RETURNS boolean LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
AS $$
if "pgattest.call" not in GD:
    plpy.execute("SELECT _pgattest.load_pylib()")
return GD["pgattest.call"]("verify_inclusion", leaf_hash, leaf_index, tree_size, proof, root_hash)
$$;

CREATE FUNCTION proofchain.verify_consistency(old_size bigint, new_size bigint, old_root bytea,
                                              new_root bytea, proof bytea[])
RETURNS boolean LANGUAGE plpython3u IMMUTABLE STRICT PARALLEL SAFE
AS $$
if "pgattest.call" not in GD:
    plpy.execute("SELECT _pgattest.load_pylib()")
return GD["pgattest.call"]("verify_consistency", old_size, new_size, old_root, new_root, proof)
$$;

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
