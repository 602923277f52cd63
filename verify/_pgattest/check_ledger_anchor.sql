-- Verify pgattest:_pgattest/check_ledger_anchor on pg

BEGIN;

SELECT '_pgattest.check_ledger_anchor()'::regprocedure;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger
                    WHERE tgname = 'check_ledger_anchor' AND tgrelid = 'proofchain.dsse_envelopes'::regclass
                      AND tgfoid = '_pgattest.check_ledger_anchor()'::regprocedure AND tgenabled <> 'D') THEN
        RAISE EXCEPTION 'proofchain.dsse_envelopes has no check_ledger_anchor trigger';
    END IF;
END
$verify$;

ROLLBACK;
