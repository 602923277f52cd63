-- Verify pgattest:_pgattest/der_to_pem on pg

BEGIN;

DO $verify$
BEGIN
    IF _pgattest.der_to_pem(decode('MCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=', 'base64'))
       <> E'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=\n-----END PUBLIC KEY-----\n' THEN
        RAISE EXCEPTION '_pgattest.der_to_pem does not write PEM';
    END IF;
    IF NOT has_function_privilege('pgattest_system', '_pgattest.der_to_pem(bytea)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_system cannot execute _pgattest.der_to_pem';
    END IF;
END
$verify$;

ROLLBACK;
