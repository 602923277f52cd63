-- Verify pgattest:_pgattest/load_pylib on pg
-- Loading imports every module, so this also proves the server's Python has
-- cryptography and rfc8785.

BEGIN;

DO $verify$
BEGIN
    IF _pgattest.load_pylib() IS DISTINCT FROM _pgattest.pylib_version() THEN
        RAISE EXCEPTION '_pgattest.load_pylib() did not load the library in _pgattest.pylib';
    END IF;
END
$verify$;

ROLLBACK;
