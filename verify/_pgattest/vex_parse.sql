-- Verify pgattest:_pgattest/vex_parse on pg

BEGIN;

DO $verify$
DECLARE
    parsed jsonb := _pgattest.vex_parse('openvex', '{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://vex.example/v",
        "author": "a", "timestamp": "2026-01-01T00:00:00Z", "version": 1, "statements": [{"vulnerability": {"name": "CVE-2026-1"},
        "products": [{"@id": "pkg:npm/a@1"}], "status": "fixed"}]}');
BEGIN
    IF jsonb_array_length(parsed) <> 1 OR parsed -> 0 ->> 'content_id' IS DISTINCT FROM
       proofchain.content_id(parsed -> 0 ->> 'statement') THEN
        RAISE EXCEPTION '_pgattest.vex_parse does not give the content id of the normalized statement: %', parsed;
    END IF;
    IF pg_get_userbyid((SELECT proowner FROM pg_proc WHERE oid = '_pgattest.vex_parse(text, text)'::regprocedure)) <> 'pgattest_owner'
       OR has_function_privilege('public', '_pgattest.vex_parse(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.vex_parse must belong to pgattest_owner and not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
