-- Verify pgattest:_pgattest/public_key_info on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT algorithm FROM _pgattest.public_key_info(E'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=\n-----END PUBLIC KEY-----\n')) <> 'ed25519' THEN
        RAISE EXCEPTION '_pgattest.public_key_info misreads an Ed25519 key';
    END IF;
END
$verify$;

ROLLBACK;
