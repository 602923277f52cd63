-- Verify pgattest:proofchain/verify_inclusion on pg

BEGIN;

DO $verify$
BEGIN
    -- A two-leaf tree over leaves H(0x00 || 0x00) and H(0x00 || 0x01), built without the library.
    IF NOT proofchain.verify_inclusion(sha256('\x0000'), 0, 2, ARRAY[sha256('\x0001')],
                                       sha256('\x01' || sha256('\x0000') || sha256('\x0001')))
       OR proofchain.verify_inclusion(sha256('\x0001'), 0, 2, ARRAY[sha256('\x0000')],
                                      sha256('\x01' || sha256('\x0000') || sha256('\x0001'))) THEN
        RAISE EXCEPTION 'verify_inclusion gives a wrong answer on a two-leaf tree';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_inclusion';
    END IF;
END
$verify$;

ROLLBACK;
