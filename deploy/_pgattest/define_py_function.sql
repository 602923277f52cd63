-- Deploy pgattest:_pgattest/define_py_function to pg
-- requires: plpython3u _pgattest/pylib
-- The machinery of the PL/Python wrappers: every PL/Python function of pgattest is a
-- thin wrapper made by _pgattest.define_py_function, whose body is
--
--   # pgattest-py-function: entry(arg, ...)
--   if GD.get("pgattest.version") != "<library version>":
--       <loader: imports the library's modules into this backend, once>
--   return GD["pgattest.call"]("entry", arg, ...)
--
-- The library itself is in _pgattest.pylib (change _pgattest/pylib), not in the
-- wrappers. The loader reads it with SQL, except where SQL cannot run: a parallel
-- worker (and a leader running a parallel plan) cannot, because plpy.execute opens a
-- subtransaction and parallel mode forbids those. So the loader also keeps the library
-- as a file in the data directory (pgattest_pylib/<version>.json, written atomically
-- by any backend that loaded it with SQL, and by this change's deploy through
-- _pgattest.load_pylib()), and accepts the file only when its SHA-256 is the version
-- the wrapper was made for. A cluster restored elsewhere (pg_upgrade, pg_dump) has no
-- file until one ordinary call, or SELECT _pgattest.load_pylib(), loads the library.
--
-- The family is one change: define_py_function creates wrappers with
-- py_function_body, and refresh_py_functions re-creates them all (a reworked library
-- calls it); pylib_version is what they embed.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.pylib_version()
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- The same digest as ops/gen_pylib.py's version(): per module in code-point order,
    -- its name, its length in bytes and its source.
    SELECT encode(sha256(convert_to(string_agg(module || E'\n' || octet_length(convert_to(source, 'UTF8'))::text || E'\n' || source, ''
                                               ORDER BY module COLLATE "C"), 'UTF8')), 'hex')
      FROM _pgattest.pylib
$$;

COMMENT ON FUNCTION _pgattest.pylib_version() IS
    'Version of the PL/Python library in _pgattest.pylib: the hex SHA-256 of its modules, as ops/gen_pylib.py computes it. Every wrapper embeds the version it was made for.';

CREATE OR REPLACE FUNCTION _pgattest.py_function_body(entry text, args text[])
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $body$
    SELECT format(E'# pgattest-py-function: %s(%s)\n', coalesce(entry, ''), array_to_string(args, ', '))
        || format(E'if GD.get("pgattest.version") != %L:\n', _pgattest.pylib_version())
        || $loader$    def _load(version):
        import hashlib, importlib, importlib.abc, importlib.util, json, os, sys

        def digest(mods):
            h = hashlib.sha256()
            for name in sorted(mods):
                src = mods[name].encode("utf-8")
                h.update(name.encode("utf-8") + b"\n" + str(len(src)).encode() + b"\n" + src)
            return h.hexdigest()

        cache = os.path.join("pgattest_pylib", version + ".json")
        try:
            with open(cache, encoding="utf-8") as f:
                mods = json.load(f)
            # Module names as _pgattest.pylib's CHECK allows them (the digest's framing
            # relies on names without newlines), the entry module present, the hash right.
            if (not isinstance(mods, dict) or "pgattest.sqlapi" not in mods
                    or not all(isinstance(n, str) and isinstance(v, str) and n.replace(".", "_").isidentifier()
                               and (n == "pgattest" or n.startswith("pgattest.")) for n, v in mods.items())
                    or digest(mods) != version):
                mods = None
        except (OSError, ValueError, TypeError, AttributeError):
            mods = None
        if mods is None:
            mods = {r["module"]: r["source"] for r in plpy.execute("SELECT module, source FROM _pgattest.pylib")}
            if digest(mods) != version:
                plpy.error("pgattest's PL/Python library in _pgattest.pylib is not the version this function was made for",
                           detail="wanted %s, found %s" % (version, digest(mods)), sqlstate="55000",
                           hint="Run SELECT _pgattest.refresh_py_functions() as a superuser, or deploy the plan again.")
            try:
                os.makedirs("pgattest_pylib", exist_ok=True)
                tmp = "%s.%d.tmp" % (cache, os.getpid())
                with open(tmp, "w", encoding="utf-8") as f:
                    json.dump(mods, f)
                os.replace(tmp, cache)
            except OSError:
                pass

        class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
            pgattest_finder = True

            def find_spec(self, fullname, path=None, target=None):
                if fullname in mods:
                    return importlib.util.spec_from_loader(fullname, self, is_package=(fullname == "pgattest"))
                return None

            def create_module(self, spec):
                return None

            def exec_module(self, module):
                exec(compile(mods[module.__name__], "<pgattest:%s>" % module.__name__, "exec"), module.__dict__)

        # A backend may hold another version (after a redeploy): replace it wholesale.
        for name in [n for n in sys.modules if n == "pgattest" or n.startswith("pgattest.")]:
            del sys.modules[name]
        sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "pgattest_finder", False)]
        sys.meta_path.insert(0, Finder())
        try:
            sqlapi = importlib.import_module("pgattest.sqlapi")
        except ImportError as exc:
            plpy.error("pgattest's PL/Python library cannot import %s" % exc.name, detail=str(exc), sqlstate="58P01",
                       hint="Install Debian's python3-cryptography and rfc8785 for the server's Python 3.11 (./pgattest setup does both).")
        GD["pgattest.call"] = sqlapi.make_dispatcher(plpy)
        GD["pgattest.version"] = version
$loader$
        || format(E'    _load(%L)\n', _pgattest.pylib_version())
        || CASE WHEN entry IS NULL THEN E'GD["pgattest.call"]("load_all")\nreturn GD["pgattest.version"]'
                ELSE format('return GD["pgattest.call"](%L%s)', entry,
                            (SELECT string_agg(', ' || a, '' ORDER BY n) FROM unnest(args) WITH ORDINALITY AS u(a, n)))
           END
$body$;

COMMENT ON FUNCTION _pgattest.py_function_body(text, text[]) IS
    'The body of a PL/Python wrapper that calls library function entry with args (or, when entry is NULL, imports every module and returns the library version), preceded by the loader that imports the current library (_pgattest.pylib_version()) once per backend.';

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
    IF attributes ~* '\mSET\M' THEN
        -- refresh_py_functions could not write a SET clause back faithfully.
        RAISE EXCEPTION 'a PL/Python wrapper takes no SET clause: %', attributes
            USING ERRCODE = '22023', HINT = 'Wrappers run no SQL once the library is loaded; set what the library needs in its caller.';
    END IF;
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
    'Creates (or replaces) PL/Python function signature (e.g. ''proofchain.f(a bytea, b bigint)'') returning returns, with attributes (e.g. ''IMMUTABLE STRICT PARALLEL SAFE''), that calls library entry with its input parameters. Returns the function; the caller sets owner and grants. Run as a superuser (plpython3u is untrusted).';

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
        SELECT p.oid, p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.procost, p.prorows, p.proretset,
               substring(p.prosrc FROM '^# pgattest-py-function: ([a-z_0-9]*)\(') AS entry,
               string_to_array(substring(p.prosrc FROM '^# pgattest-py-function: [a-z_0-9]*\(([^)]*)\)'), ', ') AS args
          FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE l.lanname = 'plpython3u' AND p.prosrc LIKE '# pgattest-py-function: %'
    LOOP
        -- CREATE OR REPLACE keeps the owner, grants and comment; the attributes a wrapper
        -- can have (define_py_function takes no SET clause) are written out again.
        EXECUTE format('CREATE OR REPLACE FUNCTION %s(%s) RETURNS %s LANGUAGE plpython3u %s %s %s %s COST %s %s AS %L',
                       f.oid::regproc, pg_get_function_arguments(f.oid), pg_get_function_result(f.oid),
                       CASE f.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
                       CASE WHEN f.proisstrict THEN 'STRICT' ELSE 'CALLED ON NULL INPUT' END,
                       CASE f.proparallel WHEN 's' THEN 'PARALLEL SAFE' WHEN 'r' THEN 'PARALLEL RESTRICTED' ELSE 'PARALLEL UNSAFE' END,
                       CASE WHEN f.prosecdef THEN 'SECURITY DEFINER' ELSE 'SECURITY INVOKER' END,
                       f.procost, CASE WHEN f.proretset THEN 'ROWS ' || f.prorows ELSE '' END,
                       _pgattest.py_function_body(nullif(f.entry, ''), coalesce(f.args, '{}')));
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

COMMENT ON FUNCTION _pgattest.refresh_py_functions() IS
    'Re-creates every PL/Python wrapper made by _pgattest.define_py_function for the library now in _pgattest.pylib; returns how many. Run by the _pgattest/pylib change (a reworked library); as a superuser.';

REVOKE ALL ON FUNCTION _pgattest.pylib_version(), _pgattest.py_function_body(text, text[]),
    _pgattest.define_py_function(text, text, text, text), _pgattest.refresh_py_functions() FROM PUBLIC;

COMMIT;
