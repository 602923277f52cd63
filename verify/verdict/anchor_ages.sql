-- Verify pgattest:verdict/anchor_ages on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'verdict.anchor_ages()', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'verdict.anchor_ages()', 'EXECUTE')
       OR NOT has_column_privilege('pgattest_system', 'verdict.ledger_entries', 'seq', 'SELECT') THEN
        RAISE EXCEPTION 'verdict.anchor_ages is not granted as designed';
    END IF;
END
$verify$;

ROLLBACK;
