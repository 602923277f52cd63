-- Verify pgattest:checkpoint_verify on pg

BEGIN;

DO $verify$
DECLARE
    cp record;
BEGIN
    SELECT * INTO cp FROM proofchain.parse_checkpoint(
        E'example.com/log\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 example.com/log AAAAAGZha2U=\n');
    IF cp.origin <> 'example.com/log' OR cp.tree_size <> 1 OR length(cp.root_hash) <> 32 THEN
        RAISE EXCEPTION 'proofchain.parse_checkpoint misreads a checkpoint';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_checkpoint(text, text, text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'proofchain.verify_checkpoint(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_checkpoint';
    END IF;
END
$verify$;

ROLLBACK;
