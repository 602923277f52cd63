-- Verify pgattest:_pgattest/define_py_function on pg
-- Makes a wrapper on a scratch name and calls it; the transaction rolls back.

BEGIN;

SELECT _pgattest.define_py_function('_pgattest.verify_define_py_function(data bytea)', 'bytea',
                                    'IMMUTABLE STRICT', 'rfc6962_leaf_hash');

DO $verify$
BEGIN
    IF _pgattest.pylib_version() !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION '_pgattest.pylib_version() is not a SHA-256 of the library';
    END IF;
    IF _pgattest.verify_define_py_function('') <> sha256('\x00') THEN
        RAISE EXCEPTION 'a wrapper made by _pgattest.define_py_function does not call into the library';
    END IF;
    IF length((SELECT prosrc FROM pg_catalog.pg_proc
                WHERE oid = '_pgattest.verify_define_py_function(bytea)'::regprocedure)) > 8192 THEN
        RAISE EXCEPTION 'a wrapper carries more than the loader: the library must stay in _pgattest.pylib';
    END IF;
END
$verify$;

ROLLBACK;
