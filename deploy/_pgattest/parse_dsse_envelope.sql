-- Deploy pgattest:_pgattest/parse_dsse_envelope to pg
-- requires: _pgattest/define_py_function
-- Internal: a DSSE envelope's parts, from plpython/pgattest/dsse.py. Called by
-- attestor.submit_envelope and the cross-tenant queue functions (pgattest_system).

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.parse_dsse_envelope(envelope jsonb, OUT payload_type text, OUT payload bytea, OUT signatures jsonb)',
    'record', 'IMMUTABLE STRICT PARALLEL SAFE', 'parse_dsse_envelope');

COMMENT ON FUNCTION _pgattest.parse_dsse_envelope(jsonb) IS
    'payloadType, decoded payload and signatures ([{keyid, sig}] with sig in standard base64) of a DSSE envelope.';

ALTER FUNCTION _pgattest.parse_dsse_envelope(jsonb) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.parse_dsse_envelope(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION _pgattest.parse_dsse_envelope(jsonb) TO pgattest_system;

COMMIT;
