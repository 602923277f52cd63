-- Verify pgattest:key_helpers on pg

BEGIN;

DO $verify$
DECLARE
    pem text := E'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=\n-----END PUBLIC KEY-----\n';
BEGIN
    -- Sigstore staging's log2025-alpha3 key and log id (from its trusted root).
    IF (SELECT log_id FROM _pgattest.log_key('rekor_v2', 'log2025-alpha3.rekor.sigstage.dev', pem))
       <> encode(decode('09OnDKEw7/hpZiYVPoTRzRbglHk0sylsUovegnRUlJY=', 'base64'), 'hex') THEN
        RAISE EXCEPTION '_pgattest.log_key does not reproduce a Rekor v2 log id';
    END IF;
    IF (SELECT algorithm FROM _pgattest.public_key_info(pem)) <> 'ed25519' THEN
        RAISE EXCEPTION '_pgattest.public_key_info misreads an Ed25519 key';
    END IF;
END
$verify$;

ROLLBACK;
