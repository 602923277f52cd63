-- Deploy pgattest:proofchain/content_id to pg
-- requires: _pgattest/define_py_function
-- Content ids: sha256 of the RFC 8785 form, from plpython/pgattest/canonical.py (text
-- argument: see proofchain/canonical_json).
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.content_id(doc text)',
    'text', 'IMMUTABLE STRICT PARALLEL SAFE', 'content_id');

COMMENT ON FUNCTION proofchain.content_id(text) IS
    'Content-addressed id of a JSON document: ''sha256:'' followed by the lower-case hex SHA-256 of its RFC 8785 canonical form (UTF-8). Equal for documents that differ only in key order and whitespace. Errors as proofchain.canonical_json.';

ALTER FUNCTION proofchain.content_id(text) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.content_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.content_id(text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
