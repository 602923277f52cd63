-- Deploy pgattest:_pgattest/vex_mappings to pg
-- requires: _pgattest/define_py_function _pgattest/pylib
-- The importers' own status and justification mapping (vex.MAPPINGS), from which
-- vex.format_mappings is loaded: one copy of the table. plpython3u is untrusted: the
-- deploying superuser creates the wrapper, then hands it over.

BEGIN;

SELECT _pgattest.define_py_function('_pgattest.vex_mappings()', 'jsonb', 'IMMUTABLE PARALLEL SAFE', 'vex_mappings');
ALTER FUNCTION _pgattest.vex_mappings() OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.vex_mappings() IS 'The status and justification mappings of the VEX importers, as a JSON array.';
REVOKE ALL ON FUNCTION _pgattest.vex_mappings() FROM PUBLIC;

COMMIT;
