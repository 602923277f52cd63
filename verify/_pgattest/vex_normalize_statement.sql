-- Verify pgattest:_pgattest/vex_normalize_statement on pg

BEGIN;

DO $verify$
DECLARE
    parsed jsonb := _pgattest.vex_normalize_statement(
        '{"vulnerability": {"name": "CVE-2026-1"}, "products": [{"@id": "pkg:npm/a@1"}, {"@id": "pkg:npm/b@1"}], "status": "fixed"}',
        '2026-01-01T00:00:00Z');
BEGIN
    IF jsonb_array_length(parsed) <> 2 OR parsed -> 0 ->> 'timestamp' <> '2026-01-01T00:00:00Z'
       OR parsed -> 0 ->> 'content_id' IS DISTINCT FROM proofchain.content_id(parsed -> 0 ->> 'statement') THEN
        RAISE EXCEPTION '_pgattest.vex_normalize_statement gives %', parsed;
    END IF;
    IF pg_get_userbyid((SELECT proowner FROM pg_proc
                         WHERE oid = '_pgattest.vex_normalize_statement(text, text)'::regprocedure)) <> 'pgattest_owner'
       OR has_function_privilege('public', '_pgattest.vex_normalize_statement(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.vex_normalize_statement must belong to pgattest_owner and not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
