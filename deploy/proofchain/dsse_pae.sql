-- Deploy pgattest:proofchain/dsse_pae to pg
-- requires: _pgattest/define_py_function
-- DSSE v1 pre-authentication encoding, from plpython/pgattest/dsse.py.
-- A thin wrapper (see _pgattest/define_py_function). No SET search_path: the wrapper
-- runs no SQL once the library is loaded, and a SET clause costs every call.

BEGIN;

SELECT _pgattest.define_py_function(
    'proofchain.dsse_pae(payload_type text, payload bytea)',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'dsse_pae');

COMMENT ON FUNCTION proofchain.dsse_pae(text, bytea) IS
    'DSSE v1 pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(payload)> <payload>", the bytes a DSSE signature covers.';

ALTER FUNCTION proofchain.dsse_pae(text, bytea) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION proofchain.dsse_pae(text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.dsse_pae(text, bytea) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
