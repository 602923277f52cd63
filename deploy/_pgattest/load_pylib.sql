-- Deploy pgattest:_pgattest/load_pylib to pg
-- requires: _pgattest/define_py_function
-- Loads the library in this backend: the verify script calls it to prove the server's
-- Python imports it (cryptography, rfc8785), and the call writes the library's file
-- cache for parallel workers (see _pgattest/define_py_function).

BEGIN;

SELECT _pgattest.define_py_function('_pgattest.load_pylib()', 'text', 'VOLATILE PARALLEL SAFE', NULL);

COMMENT ON FUNCTION _pgattest.load_pylib() IS
    'Loads pgattest''s PL/Python library in this backend (and its file cache for parallel workers) and returns its version. Call it once on a streaming standby after a deploy changed the library, and after restoring a database into a new cluster, when the first PL/Python calls there may run in parallel queries (parallel workers read only the file cache).';

ALTER FUNCTION _pgattest.load_pylib() OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.load_pylib() FROM PUBLIC;
-- An operator warms a standby or a restored cluster with it (see its comment).
GRANT EXECUTE ON FUNCTION _pgattest.load_pylib() TO pgattest_admin;

DO $load$ BEGIN PERFORM _pgattest.load_pylib(); END $load$;

COMMIT;
