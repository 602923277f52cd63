-- Verify pgattest:proofchain/verify_consistency on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT proofchain.verify_consistency(1, 2, sha256('\x0000'), sha256('\x01' || sha256('\x0000') || sha256('\x0001')),
                                         ARRAY[sha256('\x0001')]) THEN
        RAISE EXCEPTION 'verify_consistency rejects a valid proof';
    END IF;
END
$verify$;

ROLLBACK;
