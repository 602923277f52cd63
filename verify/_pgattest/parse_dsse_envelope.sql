-- Verify pgattest:_pgattest/parse_dsse_envelope on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT payload FROM _pgattest.parse_dsse_envelope('{"payloadType": "t", "payload": "aGk=", "signatures": [{"sig": "AAAA"}]}')) <> 'hi'::bytea THEN
        RAISE EXCEPTION '_pgattest.parse_dsse_envelope misreads an envelope';
    END IF;
    IF NOT has_function_privilege('pgattest_system', '_pgattest.parse_dsse_envelope(jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_system cannot execute _pgattest.parse_dsse_envelope';
    END IF;
END
$verify$;

ROLLBACK;
