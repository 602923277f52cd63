-- Verify pgattest:_pgattest/append_ledger_entry on pg

BEGIN;

DO $verify$
BEGIN
    IF has_function_privilege('pgattest_app', '_pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[])', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.append_ledger_entry must not be executable by the client roles';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_proc
                    WHERE oid = '_pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[])'::regprocedure
                      AND pg_get_userbyid(proowner) = 'pgattest_system' AND prosecdef
                      AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'])
       OR NOT has_table_privilege('pgattest_system', 'verdict.ledger_entries', 'INSERT')
       OR NOT has_function_privilege('pgattest_system', 'core.require_tenant()', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.append_ledger_entry must run as pgattest_system with what it uses';
    END IF;
END
$verify$;

ROLLBACK;
