"""Generates deploy/pylib.sql from plpython/pgattest/*.py.

The database carries its own copy of the verification library, versioned by the plan:
deploying with plain sqitch to any server with plpython3u needs no files on the server
beyond Debian's python3-cryptography and rfc8785.

Why every PL/Python function carries the library: a parallel worker cannot run SQL
from PL/Python (plpy.execute opens a subtransaction, which parallel mode forbids), so
a PARALLEL SAFE function cannot fetch the library with a query; it must bring it. The
generated change therefore defines

  _pgattest.pylib_bootstrap()        the library's sources and loader, as Python text;
  _pgattest.define_py_function(...)  creates a PL/Python function whose body is a
                                     one-line call into the library, preceded by the
                                     bootstrap that runs once per process (cached in GD);
  _pgattest.refresh_py_functions()   re-creates every such function with the current
                                     bootstrap; run at the end of this change, so a
                                     reworked pylib upgrades all of them;
  _pgattest.load_pylib()             loads the library and returns its version (verify).

    python3 -m ops.gen_pylib          rewrite deploy/pylib.sql
    python3 -m ops.gen_pylib --check  exit 1 when it is out of date (the tests do this)

After a release tag, changing the Python means `sqitch rework pylib` first, then
regenerating: the reworked change's revert is the previous deploy script.
"""

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "plpython" / "pgattest"
TARGET = ROOT / "deploy" / "pylib.sql"
QUOTES = ("$pylib$", "$pysrc$")

# Runs inside a function body, once per process. No triple-quoted strings: the text
# is indented into each function body.
LOADER = r'''
import importlib
import importlib.abc
import importlib.util
import sys


class _PgattestFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    # Imports pgattest's modules from SOURCES, ahead of anything on sys.path.
    pgattest_finder = True

    def find_spec(self, fullname, path=None, target=None):
        if fullname in SOURCES:
            return importlib.util.spec_from_loader(fullname, self, is_package=(fullname == "pgattest"))
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(SOURCES[module.__name__], "<pgattest:%s>" % module.__name__, "exec"), module.__dict__)


# A process may hold another version (after a redeploy): replace it wholesale.
for _name in [n for n in sys.modules if n == "pgattest" or n.startswith("pgattest.")]:
    del sys.modules[_name]
sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "pgattest_finder", False)]
sys.meta_path.insert(0, _PgattestFinder())
try:
    _sqlapi = importlib.import_module("pgattest.sqlapi")
except ImportError as exc:
    plpy.error("pgattest's PL/Python library cannot import %s" % exc.name, detail=str(exc), sqlstate="58P01",
               hint="Install Debian's python3-cryptography and rfc8785 for the server's Python 3.11 (./pgattest setup does both).")
GD["pgattest.call"] = _sqlapi.make_dispatcher(plpy)
GD["pgattest.version"] = VERSION
'''

HELPERS = r"""
CREATE OR REPLACE FUNCTION _pgattest.py_function_body(entry text, args text[])
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT format(E'# pgattest-py-function: %s(%s)\n', coalesce(entry, ''), array_to_string(args, ', '))
        || format(E'if GD.get("pgattest.version") != %L:\n', _pgattest.pylib_version())
        || E'    def _load():\n'
        || regexp_replace(_pgattest.pylib_bootstrap(), '^(?=.)', '        ', 'gn')
        || E'\n    _load()\n'
        || CASE WHEN entry IS NULL THEN 'return GD["pgattest.version"]'
                ELSE format('return GD["pgattest.call"](%L%s)', entry,
                            (SELECT string_agg(', ' || a, '' ORDER BY n) FROM unnest(args) WITH ORDINALITY AS u(a, n)))
           END
$$;

COMMENT ON FUNCTION _pgattest.py_function_body(text, text[]) IS
    'The body of a PL/Python function that calls library function entry with args (or returns the library version when entry is NULL), with the bootstrap that loads the library once per process.';

CREATE OR REPLACE FUNCTION _pgattest.define_py_function(signature text, returns text, attributes text, entry text)
RETURNS regprocedure
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- Input parameter names, in order, from "name type" items (OUT items skipped).
    args text[] := ARRAY(
        SELECT split_part(btrim(item), ' ', 1)
          FROM regexp_split_to_table(substring(signature FROM '\((.*)\)$'), ',') WITH ORDINALITY AS s(item, n)
         WHERE btrim(item) <> '' AND btrim(item) !~* '^out\s'
         ORDER BY n);
    fn regprocedure;
BEGIN
    EXECUTE format('CREATE OR REPLACE FUNCTION %s RETURNS %s LANGUAGE plpython3u %s AS %L',
                   signature, returns, attributes, _pgattest.py_function_body(entry, args));
    SELECT p.oid INTO fn FROM pg_proc p
     WHERE p.proname = substring(signature FROM '\.([a-z_0-9]+)\(')
       AND p.pronamespace = substring(signature FROM '^([a-z_0-9]+)\.')::regnamespace
       AND p.prosrc LIKE format('# pgattest-py-function: %s(%s)%%', coalesce(entry, ''), array_to_string(args, ', '))
       AND p.pronargs = cardinality(args);
    RETURN fn;
END
$$;

COMMENT ON FUNCTION _pgattest.define_py_function(text, text, text, text) IS
    'Creates (or replaces) PL/Python function signature (e.g. ''proofchain.f(a bytea, b bigint)'') returning returns, with attributes (e.g. ''IMMUTABLE STRICT PARALLEL SAFE''), that calls library entry with its input parameters. Returns the function; the caller sets owner and grants.';

CREATE OR REPLACE FUNCTION _pgattest.refresh_py_functions()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
    n integer := 0;
BEGIN
    FOR f IN
        SELECT p.oid, p.provolatile, p.proisstrict, p.proparallel,
               substring(p.prosrc FROM '^# pgattest-py-function: ([a-z_0-9]*)\(') AS entry,
               string_to_array(substring(p.prosrc FROM '^# pgattest-py-function: [a-z_0-9]*\(([^)]*)\)'), ', ') AS args
          FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE l.lanname = 'plpython3u' AND p.prosrc LIKE '# pgattest-py-function: %'
    LOOP
        -- CREATE OR REPLACE keeps the owner, grants and comment.
        EXECUTE format('CREATE OR REPLACE FUNCTION %s(%s) RETURNS %s LANGUAGE plpython3u %s %s %s AS %L',
                       f.oid::regproc, pg_get_function_arguments(f.oid), pg_get_function_result(f.oid),
                       CASE f.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
                       CASE WHEN f.proisstrict THEN 'STRICT' ELSE 'CALLED ON NULL INPUT' END,
                       CASE f.proparallel WHEN 's' THEN 'PARALLEL SAFE' WHEN 'r' THEN 'PARALLEL RESTRICTED' ELSE 'PARALLEL UNSAFE' END,
                       _pgattest.py_function_body(nullif(f.entry, ''), coalesce(f.args, '{}')));
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

COMMENT ON FUNCTION _pgattest.refresh_py_functions() IS
    'Re-creates every PL/Python function made by _pgattest.define_py_function with the current library; returns how many.';
"""


def sources():
    """{module name: source} for every module of the package, in a stable order."""
    mods = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = "pgattest" if path.stem == "__init__" else f"pgattest.{path.stem}"
        text = path.read_text()
        for quote in QUOTES:
            if quote in text:
                raise SystemExit(f"{path} contains {quote}, a quote of the generated SQL")
        mods[name] = text
    return mods


def version(mods):
    return hashlib.sha256("".join(f"{k}\0{v}\0" for k, v in mods.items()).encode()).hexdigest()[:16]


def render():
    mods = sources()
    ver = version(mods)
    bootstrap = ("SOURCES = {\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in mods.items()) + "}\n"
                 + f"VERSION = {ver!r}\n" + LOADER.strip("\n") + "\n")
    return f"""-- Deploy pgattest:pylib to pg
-- requires: plpython
-- GENERATED by ops/gen_pylib.py from plpython/pgattest/*.py: do not edit by hand.
-- (Its docstring says why every PL/Python function carries the library.)

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.pylib_version()
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $pylib$ SELECT '{ver}'::text $pylib$;

COMMENT ON FUNCTION _pgattest.pylib_version() IS 'Version (hash of the sources) of the PL/Python library this database carries.';

CREATE OR REPLACE FUNCTION _pgattest.pylib_bootstrap()
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $pylib$ SELECT $pysrc${bootstrap}$pysrc$::text $pylib$;

COMMENT ON FUNCTION _pgattest.pylib_bootstrap() IS 'Python code that installs pgattest''s library (plpython/pgattest, version {ver}) as the package pgattest and caches its dispatcher in GD.';
{HELPERS}
SELECT _pgattest.define_py_function('_pgattest.load_pylib()', 'text', 'VOLATILE PARALLEL SAFE', NULL);

COMMENT ON FUNCTION _pgattest.load_pylib() IS
    'Loads pgattest''s PL/Python library in this process and returns its version; the verify script calls it to prove the server''s Python can import it.';

ALTER FUNCTION _pgattest.load_pylib() OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.pylib_version() OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.pylib_bootstrap() OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.py_function_body(text, text[]) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.define_py_function(text, text, text, text) OWNER TO pgattest_owner;
ALTER FUNCTION _pgattest.refresh_py_functions() OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.load_pylib(), _pgattest.pylib_version(), _pgattest.pylib_bootstrap(),
    _pgattest.py_function_body(text, text[]), _pgattest.define_py_function(text, text, text, text),
    _pgattest.refresh_py_functions() FROM PUBLIC;

-- Upgrade every function already made with an earlier library (none on a first deploy).
SELECT _pgattest.refresh_py_functions();

COMMIT;
"""


def main(argv):
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python3 -m ops.gen_pylib", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
