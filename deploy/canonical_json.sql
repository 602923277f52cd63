-- Deploy pgattest:canonical_json to pg
-- requires: pylib
-- RFC 8785 (JCS), from plpython/pgattest/canonical.py. The argument is text, not
-- jsonb: jsonb has already reordered keys and rewritten numbers, and does not keep
-- the document a signature or digest was made over.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.canonical_json(doc text)',
    'text', 'IMMUTABLE STRICT PARALLEL SAFE', 'canonical_json');

SELECT _pgattest.define_py_function(
    'proofchain.content_id(doc text)',
    'text', 'IMMUTABLE STRICT PARALLEL SAFE', 'content_id');

COMMENT ON FUNCTION proofchain.canonical_json(text) IS
    'RFC 8785 canonical form of the JSON document text: keys sorted by UTF-16 code units, no insignificant whitespace, ECMAScript number forms. Raises 22P02 for text that is not JSON and 22023 for JSON that JCS cannot represent (duplicate keys, numbers out of IEEE 754 double range, lone surrogates).';
COMMENT ON FUNCTION proofchain.content_id(text) IS
    'Content-addressed id of a JSON document: ''sha256:'' followed by the lower-case hex SHA-256 of its RFC 8785 canonical form (UTF-8). Equal for documents that differ only in key order and whitespace. Errors as proofchain.canonical_json.';

ALTER FUNCTION proofchain.canonical_json(text) OWNER TO pgattest_owner;
ALTER FUNCTION proofchain.content_id(text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.canonical_json(text), proofchain.content_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.canonical_json(text), proofchain.content_id(text)
    TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
