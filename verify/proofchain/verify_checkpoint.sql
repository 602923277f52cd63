-- Verify pgattest:proofchain/verify_checkpoint on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_checkpoint(text, text, text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'proofchain.verify_checkpoint(text, text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'proofchain.verify_checkpoint(text, text, text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_checkpoint';
    END IF;
    -- A signature line of another key verifies nothing.
    IF proofchain.verify_checkpoint(E'example.com/log\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 example.com/log AAAAAGZha2U=\n',
                                    'example.com/log+a4d94eec+AZQ93VXPMmj9uZj7U/7CefQ9yy8RgYFv6mKzOseipjqp') THEN
        RAISE EXCEPTION 'proofchain.verify_checkpoint accepted a checkpoint without a signature by the key';
    END IF;
END
$verify$;

ROLLBACK;
