-- Deploy pgattest:_pgattest/vex_normalize_statement to pg
-- requires: _pgattest/define_py_function _pgattest/pylib
-- One OpenVEX statement (vex.record_observation, the status changes) normalized as the
-- parsers normalize a document's statements (plpython/pgattest/vex.py). plpython3u is
-- untrusted: the deploying superuser creates the wrapper, then hands it over.

BEGIN;

SELECT _pgattest.define_py_function('_pgattest.vex_normalize_statement(statement text, default_timestamp text)', 'jsonb',
                                    'IMMUTABLE PARALLEL SAFE', 'vex_normalize_statement');
ALTER FUNCTION _pgattest.vex_normalize_statement(text, text) OWNER TO pgattest_owner;
COMMENT ON FUNCTION _pgattest.vex_normalize_statement(text, text) IS
    'Observations (one per product) of one OpenVEX statement, timestamped default_timestamp when it has none.';
REVOKE ALL ON FUNCTION _pgattest.vex_normalize_statement(text, text) FROM PUBLIC;

COMMIT;
