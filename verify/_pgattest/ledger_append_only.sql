-- Verify pgattest:_pgattest/ledger_append_only on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_proc WHERE oid = '_pgattest.ledger_append_only()'::regprocedure
                      AND prorettype = 'trigger'::regtype AND prosrc LIKE '%23PA3%') THEN
        RAISE EXCEPTION '_pgattest.ledger_append_only() is not the append-only trigger function';
    END IF;
END
$verify$;

ROLLBACK;
