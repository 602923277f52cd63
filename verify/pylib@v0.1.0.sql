-- Verify pgattest:pylib on pg
-- Loading imports every module, so this also proves the server's Python has
-- cryptography and rfc8785.

BEGIN;

DO $verify$
BEGIN
    IF _pgattest.load_pylib() !~ '^[0-9a-f]{16}$' THEN
        RAISE EXCEPTION '_pgattest.load_pylib() did not return a library version';
    END IF;
END
$verify$;

ROLLBACK;
