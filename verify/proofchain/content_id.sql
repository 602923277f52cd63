-- Verify pgattest:proofchain/content_id on pg

BEGIN;

DO $verify$
BEGIN
    IF proofchain.content_id('{ "a" : 1 }') <> 'sha256:' || encode(sha256('{"a":1}'), 'hex') THEN
        RAISE EXCEPTION 'proofchain.content_id is not sha256 of the canonical form';
    END IF;
END
$verify$;

ROLLBACK;
