-- Verify pgattest:pylib (the rework after v0.1.0) on pg
-- Loading imports every module, so this also proves the server's Python has
-- cryptography and rfc8785.

BEGIN;

DO $verify$
BEGIN
    IF _pgattest.load_pylib() !~ '^[0-9a-f]{16}$' THEN
        RAISE EXCEPTION '_pgattest.load_pylib() did not return a library version';
    END IF;
    -- What the rework added: without it this is still the v0.1.0 library.
    IF _pgattest.pylib_bootstrap() NOT LIKE '%def verify_completions(%' THEN
        RAISE EXCEPTION 'the PL/Python library is older than this change: it lacks verify_completions';
    END IF;
END
$verify$;

ROLLBACK;
