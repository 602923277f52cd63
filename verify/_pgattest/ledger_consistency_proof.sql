-- Verify pgattest:_pgattest/ledger_consistency_proof on pg

BEGIN;

DO $verify$
DECLARE
    a bytea := sha256('a');
    b bytea := sha256('b');
    c bytea := sha256('c');
BEGIN
    IF _pgattest.ledger_consistency_proof(a || b || c, 2, 3) IS DISTINCT FROM ARRAY[c] THEN
        RAISE EXCEPTION '_pgattest.ledger_consistency_proof does not give the RFC 9162 proof';
    END IF;
END
$verify$;

ROLLBACK;
