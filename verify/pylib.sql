-- Verify pgattest:pylib (the rework after v0.2.1) on pg
-- Loading imports every module, so this also proves the server's Python has
-- cryptography and rfc8785.

BEGIN;

DO $verify$
BEGIN
    IF _pgattest.load_pylib() !~ '^[0-9a-f]{16}$' THEN
        RAISE EXCEPTION '_pgattest.load_pylib() did not return a library version';
    END IF;
    -- What the reworks added: without them this is an older library.
    IF _pgattest.pylib_bootstrap() NOT LIKE '%def verify_completions(%' THEN
        RAISE EXCEPTION 'the PL/Python library is older than v0.2.0: it lacks verify_completions';
    END IF;
    IF _pgattest.pylib_bootstrap() NOT LIKE '%def verify_stored_completions(%' THEN
        RAISE EXCEPTION 'the PL/Python library is older than this change: it lacks verify_stored_completions';
    END IF;
END
$verify$;

ROLLBACK;
