-- Verify pgattest:_pgattest/log_key on pg

BEGIN;

DO $verify$
BEGIN
    -- Sigstore staging's log2025-alpha3 key and log id (from its trusted root).
    IF (SELECT log_id FROM _pgattest.log_key('rekor_v2', 'log2025-alpha3.rekor.sigstage.dev',
            E'-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAlD3dVc8yaP25mPtT/sJ59D3LLxGBgW/qYrM6x6KmOqk=\n-----END PUBLIC KEY-----\n'))
       <> encode(decode('09OnDKEw7/hpZiYVPoTRzRbglHk0sylsUovegnRUlJY=', 'base64'), 'hex') THEN
        RAISE EXCEPTION '_pgattest.log_key does not reproduce a Rekor v2 log id';
    END IF;
END
$verify$;

ROLLBACK;
