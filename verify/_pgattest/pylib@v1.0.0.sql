-- Verify pgattest:_pgattest/pylib on pg
-- The library is there, whole, and nobody outside pgattest's roles reads it. (That the
-- server's Python can import it is checked by _pgattest/load_pylib's verify.)

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM _pgattest.pylib WHERE module = 'pgattest.sqlapi') THEN
        RAISE EXCEPTION '_pgattest.pylib lacks the module pgattest.sqlapi';
    END IF;
    IF has_table_privilege('public', '_pgattest.pylib', 'SELECT') THEN
        RAISE EXCEPTION 'PUBLIC must not read _pgattest.pylib';
    END IF;
    IF NOT has_table_privilege('pgattest_app', '_pgattest.pylib', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_app cannot read _pgattest.pylib: its PL/Python calls could not load the library';
    END IF;
END
$verify$;

ROLLBACK;
