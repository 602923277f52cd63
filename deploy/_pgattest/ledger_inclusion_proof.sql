-- Deploy pgattest:_pgattest/ledger_inclusion_proof to pg
-- requires: roles schemas _pgattest/define_py_function _pgattest/pylib
-- A thin wrapper made by _pgattest.define_py_function over plpython/pgattest/ledger.py.
-- No SET search_path: it runs no SQL. plpython3u is untrusted: the deploying superuser
-- creates it, then hands it over. Called by the verdict functions (SECURITY DEFINER as
-- pgattest_owner), so no client role gets it.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.ledger_inclusion_proof(leaf_hashes bytea, leaf_index bigint, tree_size bigint)',
    'bytea[]', 'IMMUTABLE STRICT PARALLEL SAFE', 'ledger_inclusion_proof');
ALTER FUNCTION _pgattest.ledger_inclusion_proof(bytea, bigint, bigint) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.ledger_inclusion_proof(bytea, bigint, bigint) IS
    'RFC 9162 inclusion proof (audit path, bottom up) of leaf leaf_index (0-based) in the tree of the first tree_size of the concatenated leaf hashes. Raises 22023 for leaf_index >= tree_size or tree_size beyond the leaves given.';
REVOKE ALL ON FUNCTION _pgattest.ledger_inclusion_proof(bytea, bigint, bigint) FROM PUBLIC;

COMMIT;
