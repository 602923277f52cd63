-- Verify pgattest:proofchain/parse_checkpoint on pg

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
END
$verify$;

ROLLBACK;
