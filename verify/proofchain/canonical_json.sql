-- Verify pgattest:proofchain/canonical_json on pg

BEGIN;

DO $verify$
BEGIN
    IF proofchain.canonical_json('{ "b": 1.0, "a": [1e30, "\u00e9"] }') <> '{"a":[1e+30,"é"],"b":1}' THEN
        RAISE EXCEPTION 'proofchain.canonical_json does not produce RFC 8785 output';
    END IF;
END
$verify$;

ROLLBACK;
