-- Verify pgattest:_pgattest/append_ledger_entry on pg

BEGIN;

DO $verify$
BEGIN
    IF has_function_privilege('pgattest_app', '_pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.append_ledger_entry must not be executable by the client roles';
    END IF;
END
$verify$;

ROLLBACK;
