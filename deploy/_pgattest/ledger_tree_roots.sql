-- Deploy pgattest:_pgattest/ledger_tree_roots to pg
-- requires: roles schemas _pgattest/define_py_function _pgattest/pylib
-- A thin wrapper made by _pgattest.define_py_function over plpython/pgattest/ledger.py.
-- No SET search_path: it runs no SQL. plpython3u is untrusted: the deploying superuser
-- creates it, then hands it over. Called by the verdict functions (SECURITY DEFINER as
-- pgattest_owner), so no client role gets it.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.ledger_tree_roots(leaf_hashes bytea, sizes bigint[])',
    'TABLE (tree_size bigint, root_hash bytea)', 'IMMUTABLE STRICT PARALLEL SAFE', 'ledger_tree_roots');
ALTER FUNCTION _pgattest.ledger_tree_roots(bytea, bigint[]) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.ledger_tree_roots(bytea, bigint[]) IS
    'RFC 9162 roots of prefixes of a ledger, one row per size asked for, in one pass: leaf_hashes is the concatenation of the entry hashes in sequence order (string_agg(entry_hash, '''' ORDER BY seq)). Size 0 gives the empty tree''s root. Raises 22023 for a size beyond the leaves given or leaf bytes that are not whole 32-byte hashes.';
REVOKE ALL ON FUNCTION _pgattest.ledger_tree_roots(bytea, bigint[]) FROM PUBLIC;

COMMIT;
