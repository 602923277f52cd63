-- Verify pgattest:proofchain/verify_dsse on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_dsse(jsonb, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_dsse';
    END IF;
    IF proofchain.verify_dsse('{"payloadType": "t", "payload": "", "signatures": [{"sig": "AAAA"}]}',
                              E'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=\n-----END PUBLIC KEY-----\n') THEN
        RAISE EXCEPTION 'proofchain.verify_dsse accepted a signature that is not one';
    END IF;
END
$verify$;

ROLLBACK;
