-- Verify pgattest:_pgattest/ledger_inclusion_proof on pg

BEGIN;

DO $verify$
DECLARE
    a bytea := sha256('a');
    b bytea := sha256('b');
BEGIN
    IF _pgattest.ledger_inclusion_proof(a || b, 0, 2) IS DISTINCT FROM ARRAY[b] THEN
        RAISE EXCEPTION '_pgattest.ledger_inclusion_proof does not give the RFC 9162 audit path';
    END IF;
END
$verify$;

ROLLBACK;
