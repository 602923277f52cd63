-- Verify pgattest:proofchain/dsse_pae on pg

BEGIN;

DO $verify$
BEGIN
    IF proofchain.dsse_pae('http://example.com/HelloWorld', 'hello world')
       <> convert_to('DSSEv1 29 http://example.com/HelloWorld 11 hello world', 'UTF8') THEN
        RAISE EXCEPTION 'proofchain.dsse_pae does not match the DSSE specification''s example';
    END IF;
END
$verify$;

ROLLBACK;
