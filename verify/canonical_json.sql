-- Verify pgattest:canonical_json on pg

BEGIN;

DO $verify$
BEGIN
    IF proofchain.canonical_json('{ "b": 1.0, "a": [1e30, "\u00e9"] }') <> '{"a":[1e+30,"é"],"b":1}' THEN
        RAISE EXCEPTION 'proofchain.canonical_json does not produce RFC 8785 output';
    END IF;
    IF proofchain.content_id('{"a":1}') <> 'sha256:' || encode(sha256('{"a":1}'), 'hex') THEN
        RAISE EXCEPTION 'proofchain.content_id is not sha256 of the canonical form';
    END IF;
END
$verify$;

ROLLBACK;
