-- Verify pgattest:_pgattest/vex_mappings on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT _pgattest.vex_mappings() @> '[{"format": "csaf", "field": "status", "native": "known_not_affected", "status": "not_affected"}]' THEN
        RAISE EXCEPTION '_pgattest.vex_mappings() lacks the CSAF known_not_affected row';
    END IF;
    IF pg_get_userbyid((SELECT proowner FROM pg_proc WHERE oid = '_pgattest.vex_mappings()'::regprocedure)) <> 'pgattest_owner'
       OR has_function_privilege('public', '_pgattest.vex_mappings()', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.vex_mappings must belong to pgattest_owner and not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
