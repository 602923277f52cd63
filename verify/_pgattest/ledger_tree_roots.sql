-- Verify pgattest:_pgattest/ledger_tree_roots on pg

BEGIN;

DO $verify$
DECLARE
    a bytea := sha256('a');
    b bytea := sha256('b');
BEGIN
    IF (SELECT array_agg(root_hash ORDER BY tree_size) FROM _pgattest.ledger_tree_roots(a || b, ARRAY[0, 1, 2]::bigint[]))
       IS DISTINCT FROM ARRAY[sha256(''), a, sha256('\x01'::bytea || a || b)] THEN
        RAISE EXCEPTION '_pgattest.ledger_tree_roots does not compute RFC 9162 roots';
    END IF;
    IF has_function_privilege('pgattest_app', '_pgattest.ledger_tree_roots(bytea, bigint[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.ledger_tree_roots must not be executable by the client roles';
    END IF;
END
$verify$;

ROLLBACK;
