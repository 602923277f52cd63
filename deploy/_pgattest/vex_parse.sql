-- Deploy pgattest:_pgattest/vex_parse to pg
-- requires: _pgattest/define_py_function _pgattest/pylib
-- The VEX parsers (plpython/pgattest/vex.py): one normalized observation per
-- vulnerability and product, whatever the format. plpython3u is untrusted: the deploying
-- superuser creates the wrapper, then hands it over.

BEGIN;

SELECT _pgattest.define_py_function('_pgattest.vex_parse(format text, document text)', 'jsonb',
                                    'IMMUTABLE STRICT PARALLEL SAFE', 'vex_parse');
ALTER FUNCTION _pgattest.vex_parse(text, text) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.vex_parse(text, text) IS
    'Observations of a VEX document (format openvex, csaf or cyclonedx) as a JSON array, one per vulnerability and product, normalized to OpenVEX terms (content_id is the sha256 content id of the normalized statement); raises 22023 (22P02, 22007) when the document breaks its spec.';
REVOKE ALL ON FUNCTION _pgattest.vex_parse(text, text) FROM PUBLIC;

COMMIT;
