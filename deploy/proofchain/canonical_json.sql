-- Deploy pgattest:proofchain/canonical_json to pg
-- requires: _pgattest/define_py_function
-- RFC 8785 (JCS), from plpython/pgattest/canonical.py. The argument is text, not
-- jsonb: jsonb has already reordered keys and rewritten numbers, and does not keep
-- the document a signature or digest was made over.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.canonical_json(doc text)',
    'text', 'IMMUTABLE STRICT PARALLEL SAFE', 'canonical_json');

COMMENT ON FUNCTION proofchain.canonical_json(text) IS
    'RFC 8785 canonical form of the JSON document text: keys sorted by UTF-16 code units, no insignificant whitespace, ECMAScript number forms. Raises 22P02 for text that is not JSON and 22023 for JSON that JCS cannot represent (duplicate keys, numbers out of IEEE 754 double range, lone surrogates).';

ALTER FUNCTION proofchain.canonical_json(text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.canonical_json(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.canonical_json(text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
