-- Verify pgattest:dsse_verify on pg

BEGIN;

DO $verify$
BEGIN
    IF proofchain.dsse_pae('http://example.com/HelloWorld', 'hello world')
       <> convert_to('DSSEv1 29 http://example.com/HelloWorld 11 hello world', 'UTF8') THEN
        RAISE EXCEPTION 'proofchain.dsse_pae does not match the DSSE specification''s example';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_dsse(jsonb, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_dsse';
    END IF;
END
$verify$;

ROLLBACK;
