-- Deploy pgattest:_pgattest/ledger_consistency_proof to pg
-- requires: roles schemas _pgattest/define_py_function _pgattest/pylib
-- A thin wrapper made by _pgattest.define_py_function over plpython/pgattest/ledger.py.
-- No SET search_path: it runs no SQL. plpython3u is untrusted: the deploying superuser
-- creates it, then hands it over. Called by the verdict functions (SECURITY DEFINER as
-- pgattest_owner), so no client role gets it.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.ledger_consistency_proof(leaf_hashes bytea, old_size bigint, new_size bigint)',
    'bytea[]', 'IMMUTABLE STRICT PARALLEL SAFE', 'ledger_consistency_proof');
ALTER FUNCTION _pgattest.ledger_consistency_proof(bytea, bigint, bigint) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.ledger_consistency_proof(bytea, bigint, bigint) IS
    'RFC 9162 consistency proof from the tree of the first old_size to the tree of the first new_size of the concatenated leaf hashes (empty when equal). Raises 22023 for old_size 0, old_size > new_size or new_size beyond the leaves given.';
REVOKE ALL ON FUNCTION _pgattest.ledger_consistency_proof(bytea, bigint, bigint) FROM PUBLIC;

COMMIT;
