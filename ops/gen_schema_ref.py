"""Generates docs/schema/<schema>.md (one SQL block): today's definition of every object, per module schema.

Read from a deployed database's catalogs, not from the change scripts, so that a reviewer
sees the current definition of each object in one place (whichever change made or
altered it) and a diff of these files shows every change to the schema or the API:
tables (columns, defaults, NOT NULL, constraints, indexes, row-level security, policies,
triggers, grants, comments), types, views, sequences and functions (pg_get_functiondef:
signature, result, language, volatility, strictness, parallel safety, SECURITY DEFINER,
SET options and the body; owner, grants and comment after it).

Normalized: objects sorted by name (functions by name, then argument types), grants
sorted by grantee and privilege, no OIDs, no timestamps, so two deploys of one plan give
the same text. Every schema the package owns (owner pgattest_owner) gets a file, an
empty one just its comment and grants. Privileges are shown as effective: a function
without an explicit ACL shows PostgreSQL's default EXECUTE for PUBLIC. The owner's own
privileges are not listed. A PL/Python wrapper's body is its call into the library; the
library loader it carries (the same in every wrapper: _pgattest.py_function_body) is elided, and so is any body longer than
BODY_LIMIT (the library's source held as text), of which the first line and length stay.

    python3 -m ops.gen_schema_ref --dsn DSN          rewrite docs/schema/ from DSN's database
    python3 -m ops.gen_schema_ref                    ... from a temporary deploy of the plan
    python3 -m ops.gen_schema_ref [--dsn DSN] --check   exit 1 when docs/schema/ is out of date
"""

import argparse
import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "schema"
PACKAGE_OWNER = "pgattest_owner"
REGENERATE = "python3 -m ops.gen_schema_ref"   # or ./pgattest docs

# A PL/Python body longer than this carries the library loader (_pgattest.py_function_body).
PY_BODY_LIMIT = 2000
# Any other body longer than this is generated data (the library's source as text), not code to review.
BODY_LIMIT = 20000

PRIVILEGE_ORDER = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
                   "EXECUTE", "USAGE", "CREATE", "TEMPORARY", "CONNECT"]


@contextlib.contextmanager
def deployed_database(dsn=None):
    """Yields a DSN of a database with the plan deployed: dsn itself when given, else a
    temporary database on the tests' server (ops.cluster.test_server: PGATTEST_TEST_DSN,
    else the embedded cluster), dropped afterwards."""
    if dsn:
        yield dsn
        return
    from ops import cluster
    admin, where, cleanup = cluster.test_server()
    cluster.log(f"deploying the plan into a temporary database ({where})")
    name, tmp = cluster.fresh_database(admin, prefix="pgattest_docs")
    try:
        yield tmp
    finally:
        if not os.environ.get("PGATTEST_KEEP_DB"):
            cluster.drop_database(admin, name)
        cleanup()


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def ident(name):
    import re
    return name if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) else '"' + name.replace('"', '""') + '"'


class Catalog:
    """Read-only queries against one database."""

    def __init__(self, conn):
        self.conn = conn

    def rows(self, sql, *params):
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql, *params):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def grants(self, acl_sql, owner_oid_sql, oid, kind, target):
        """GRANT lines for object oid: acl_sql and owner_oid_sql select its ACL and owner
        (a NULL ACL is the default one, acldefault(kind, owner))."""
        rows = self.rows(f"""
            SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                   a.privilege_type, a.is_grantable
              FROM (SELECT coalesce(({acl_sql}), acldefault(%s, ({owner_oid_sql}))) AS acl,
                           ({owner_oid_sql}) AS owner) o,
                   aclexplode(o.acl) a
             WHERE a.grantee <> o.owner""", oid, kind, oid, oid)
        return render_grants(rows, target)

    def comment(self, oid, catalog, sub=0):
        return self.one("SELECT d.description FROM pg_description d "
                        "WHERE d.objoid = %s AND d.classoid = %s::regclass AND d.objsubid = %s",
                        oid, catalog, sub)


def render_grants(rows, target):
    by = {}
    for grantee, priv, grantable in rows:
        by.setdefault((grantee, grantable), set()).add(priv)
    out = []
    for (grantee, grantable), privs in sorted(by.items()):
        ordered = sorted(privs, key=lambda p: (PRIVILEGE_ORDER.index(p.split(" ")[0])
                                               if p.split(" ")[0] in PRIVILEGE_ORDER else 99, p))
        out.append(f"GRANT {', '.join(ordered)} ON {target} TO {grantee}"
                   + (" WITH GRANT OPTION" if grantable else "") + ";")
    return out


def comment_line(kind, target, text):
    return [f"COMMENT ON {kind} {target} IS {literal(text)};"] if text is not None else []


# ---- schemas ---------------------------------------------------------------------------

def package_schemas(conn):
    return [r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspowner = %s::regrole ORDER BY nspname",
        (PACKAGE_OWNER,)).fetchall()]


def render_schema(conn, schema):
    cat = Catalog(conn)
    nsp = cat.one("SELECT oid FROM pg_namespace WHERE nspname = %s", schema)
    owner = cat.one("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE oid = %s", nsp)
    parts = [[f"-- Schema {schema}: its objects as deployed today.",
              f"-- GENERATED by ops/gen_schema_ref.py from a deployed database: do not edit; run {REGENERATE}.",
              "",
              f"CREATE SCHEMA {ident(schema)} AUTHORIZATION {ident(owner)};",
              *comment_line("SCHEMA", ident(schema), cat.comment(nsp, "pg_namespace")),
              *cat.grants("SELECT nspacl FROM pg_namespace WHERE oid = %s",
                          "SELECT nspowner FROM pg_namespace WHERE oid = %s", nsp, "n", f"SCHEMA {ident(schema)}")]]
    for section, render in (("types", render_types), ("sequences", render_sequences),
                            ("tables", render_tables), ("views", render_views),
                            ("functions", render_functions)):
        blocks = render(cat, nsp, schema)
        if blocks:
            parts.append([f"-- ==== {section} ===="])
            parts.extend(blocks)
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


# ---- types -----------------------------------------------------------------------------

def render_types(cat, nsp, schema):
    blocks = []
    for oid, name, typtype, owner in cat.rows("""
            SELECT t.oid, t.typname, t.typtype, pg_get_userbyid(t.typowner) FROM pg_type t
             WHERE t.typnamespace = %s
               AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
               AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
               AND NOT (t.typtype = 'm')   -- a range's multirange comes with it
             ORDER BY t.typname""", nsp):
        target = f"{ident(schema)}.{ident(name)}"
        if typtype == "e":
            labels = [r[0] for r in cat.rows("SELECT enumlabel FROM pg_enum WHERE enumtypid = %s ORDER BY enumsortorder", oid)]
            head = [f"CREATE TYPE {target} AS ENUM (", ",\n".join(f"    {literal(l)}" for l in labels), ");"]
        elif typtype == "d":
            base, default, notnull = cat.rows("SELECT format_type(typbasetype, typtypmod), typdefault, typnotnull "
                                              "FROM pg_type WHERE oid = %s", oid)[0]
            cons = [f"    CONSTRAINT {ident(n)} {d}" for n, d in cat.rows(
                "SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint WHERE contypid = %s ORDER BY conname", oid)]
            head = [f"CREATE DOMAIN {target} AS {base}" + (f" DEFAULT {default}" if default else "")
                    + (" NOT NULL" if notnull else ""), *cons]
            head[-1] += ";"
        elif typtype == "c":
            attrs = cat.rows("""SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                                  JOIN pg_type t ON t.typrelid = a.attrelid
                                 WHERE t.oid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", oid)
            head = [f"CREATE TYPE {target} AS (", ",\n".join(f"    {ident(n)} {t}" for n, t in attrs), ");"]
        elif typtype == "r":
            sub = cat.one("SELECT format_type(rngsubtype, NULL) FROM pg_range WHERE rngtypid = %s", oid)
            head = [f"CREATE TYPE {target} AS RANGE (SUBTYPE = {sub});"]
        else:
            head = [f"-- type {target} (typtype {typtype})"]
        blocks.append([*head, f"ALTER TYPE {target} OWNER TO {ident(owner)};",
                       *comment_line("TYPE", target, cat.comment(oid, "pg_type")),
                       *cat.grants("SELECT typacl FROM pg_type WHERE oid = %s",
                                   "SELECT typowner FROM pg_type WHERE oid = %s", oid, "T", f"TYPE {target}")])
    return blocks


# ---- sequences -------------------------------------------------------------------------

def render_sequences(cat, nsp, schema):
    blocks = []
    for row in cat.rows("""
            SELECT c.oid, c.relname, pg_get_userbyid(c.relowner), format_type(s.seqtypid, NULL), s.seqstart,
                   s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                   (SELECT quote_ident(r.relname) || '.' || quote_ident(a.attname)
                      FROM pg_depend d JOIN pg_class r ON r.oid = d.refobjid
                      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                       AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a')
              FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
             WHERE c.relnamespace = %s AND c.relkind = 'S'
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                  AND d.objid = c.oid AND d.deptype = 'i')   -- identity: shown on its column
             ORDER BY c.relname""", nsp):
        oid, name, owner, typ, start, inc, mn, mx, cache, cycle, owned_by = row
        target = f"{ident(schema)}.{ident(name)}"
        blocks.append([f"CREATE SEQUENCE {target} AS {typ} START {start} INCREMENT {inc} MINVALUE {mn} "
                       f"MAXVALUE {mx} CACHE {cache}{' CYCLE' if cycle else ''};",
                       *([f"ALTER SEQUENCE {target} OWNED BY {ident(schema)}.{owned_by};"] if owned_by else []),
                       f"ALTER SEQUENCE {target} OWNER TO {ident(owner)};",
                       *comment_line("SEQUENCE", target, cat.comment(oid, "pg_class")),
                       *cat.grants("SELECT relacl FROM pg_class WHERE oid = %s",
                                   "SELECT relowner FROM pg_class WHERE oid = %s", oid, "s", f"SEQUENCE {target}")])
    return blocks


# ---- tables and views ------------------------------------------------------------------

def column_lines(cat, oid):
    lines = []
    for name, typ, notnull, default, identity, generated, collation in cat.rows("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid, true), a.attidentity, a.attgenerated,
                   CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(collname) FROM pg_collation
                                                                     WHERE oid = a.attcollation) END
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""", oid):
        line = f"{ident(name)} {typ}"
        if collation:
            line += f" COLLATE {collation}"
        if generated == "s":
            line += f" GENERATED ALWAYS AS ({default}) STORED"
        elif identity:
            line += f" GENERATED {'ALWAYS' if identity == 'a' else 'BY DEFAULT'} AS IDENTITY"
        elif default is not None:
            line += f" DEFAULT {default}"
        if notnull:
            line += " NOT NULL"
        lines.append(line)
    return lines


def column_comments(cat, oid, target):
    return [f"COMMENT ON COLUMN {target}.{ident(name)} IS {literal(text)};" for name, text in cat.rows("""
        SELECT a.attname, d.description FROM pg_attribute a
          JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
         WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""", oid)]


def column_grants(cat, oid, target):
    lines = []
    for (name,) in cat.rows("SELECT attname FROM pg_attribute WHERE attrelid = %s AND attnum > 0 "
                            "AND NOT attisdropped AND attacl IS NOT NULL ORDER BY attnum", oid):
        rows = cat.rows("""SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                                  a.privilege_type || ' (' || quote_ident(att.attname) || ')', a.is_grantable
                             FROM pg_attribute att, aclexplode(att.attacl) a
                            WHERE att.attrelid = %s AND att.attname = %s""", oid, name)
        lines += render_grants(rows, f"TABLE {target}")
    return lines


def table_trailer(cat, oid, target, kind_word):
    """Indexes, RLS, policies, triggers, owner, comments and grants of a table or matview."""
    out = []
    for (defn,) in cat.rows("""SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                                WHERE i.indrelid = %s
                                  AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid
                                                     AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
                                ORDER BY c.relname""", oid):
        out.append(defn + ";")
    for name, text in cat.rows("""SELECT c.relname, d.description FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                                    JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
                                                         AND d.objsubid = 0
                                   WHERE i.indrelid = %s ORDER BY c.relname""", oid):
        out.append(f"COMMENT ON INDEX {target.split('.')[0]}.{ident(name)} IS {literal(text)};")
    rls, force = cat.rows("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s", oid)[0]
    if rls:
        out.append(f"ALTER TABLE {target} ENABLE ROW LEVEL SECURITY;")
    if force:
        out.append(f"ALTER TABLE {target} FORCE ROW LEVEL SECURITY;")
    for pol, name, permissive, roles, cmd, qual, check in cat.rows("""
            SELECT p.oid, p.polname, CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                   ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r)) END
                           FROM unnest(p.polroles) r ORDER BY 1),
                   CASE p.polcmd WHEN '*' THEN 'ALL' WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
                                 WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' END,
                   pg_get_expr(p.polqual, p.polrelid, true), pg_get_expr(p.polwithcheck, p.polrelid, true)
              FROM pg_policy p WHERE p.polrelid = %s ORDER BY p.polname""", oid):
        line = f"CREATE POLICY {ident(name)} ON {target} AS {permissive} FOR {cmd} TO {', '.join(roles)}"
        if qual is not None:
            line += f"\n    USING ({qual})"
        if check is not None:
            line += f"\n    WITH CHECK ({check})"
        out.append(line + ";")
        out += comment_line("POLICY", f"{ident(name)} ON {target}", cat.comment(pol, "pg_policy"))
    for toid, tgname, defn, enabled in cat.rows("""
            SELECT oid, tgname, pg_get_triggerdef(oid, true), tgenabled FROM pg_trigger
             WHERE tgrelid = %s AND NOT tgisinternal ORDER BY tgname""", oid):
        out.append(defn + ";")
        if enabled != "O":
            state = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}[enabled]
            out.append(f"ALTER TABLE {target} {state} TRIGGER {ident(tgname)};")
        out += comment_line("TRIGGER", f"{ident(tgname)} ON {target}", cat.comment(toid, "pg_trigger"))
    owner = cat.one("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s", oid)
    out.append(f"ALTER {kind_word} {target} OWNER TO {ident(owner)};")
    out += comment_line(kind_word, target, cat.comment(oid, "pg_class"))
    out += column_comments(cat, oid, target)
    out += cat.grants("SELECT relacl FROM pg_class WHERE oid = %s",
                      "SELECT relowner FROM pg_class WHERE oid = %s", oid, "r", f"TABLE {target}")
    out += column_grants(cat, oid, target)
    return out


def render_tables(cat, nsp, schema):
    blocks = []
    for oid, name, relkind, persistence, options, partkey in cat.rows("""
            SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END
              FROM pg_class c WHERE c.relnamespace = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname""", nsp):
        target = f"{ident(schema)}.{ident(name)}"
        items = column_lines(cat, oid)
        items += [f"CONSTRAINT {ident(n)} {d}" for n, d in cat.rows("""
            SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint WHERE conrelid = %s
             ORDER BY array_position(ARRAY['p', 'u', 'x', 'f', 'c', 't'], contype::text), conname""", oid)]
        head = f"CREATE {'UNLOGGED ' if persistence == 'u' else ''}TABLE {target} ("
        tail = ")" + (f" PARTITION BY {partkey}" if partkey else "") + \
            (f" WITH ({', '.join(options)})" if options else "") + ";"
        blocks.append([head, ",\n".join("    " + i for i in items), tail, *table_trailer(cat, oid, target, "TABLE")])
    return blocks


def render_views(cat, nsp, schema):
    blocks = []
    for oid, name, relkind, options in cat.rows("""
            SELECT c.oid, c.relname, c.relkind, c.reloptions FROM pg_class c
             WHERE c.relnamespace = %s AND c.relkind IN ('v', 'm') ORDER BY c.relname""", nsp):
        target = f"{ident(schema)}.{ident(name)}"
        definition = cat.one("SELECT pg_get_viewdef(%s::oid, true)", oid).rstrip().rstrip(";")
        with_ = f" WITH ({', '.join(options)})" if options else ""
        if relkind == "m":
            blocks.append([f"CREATE MATERIALIZED VIEW {target}{with_} AS", definition + ";",
                           *table_trailer(cat, oid, target, "MATERIALIZED VIEW")])
            continue
        owner = cat.one("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s", oid)
        blocks.append([f"CREATE VIEW {target}{with_} AS", definition + ";",
                       f"ALTER VIEW {target} OWNER TO {ident(owner)};",
                       *comment_line("VIEW", target, cat.comment(oid, "pg_class")),
                       *column_comments(cat, oid, target),
                       *cat.grants("SELECT relacl FROM pg_class WHERE oid = %s",
                                   "SELECT relowner FROM pg_class WHERE oid = %s", oid, "r", f"TABLE {target}")])
    return blocks


# ---- functions -------------------------------------------------------------------------

def python_call(body):
    """A PL/Python wrapper's body without the library loader it carries: its first
    line (the entry and arguments) and its last (the call into the library)."""
    lines = [l for l in body.strip("\n").splitlines() if l.strip()]
    return "\n" + "\n".join([lines[0], "# ... the loader of the library in _pgattest.pylib (_pgattest.py_function_body) ...", lines[-1]]) + "\n"


def render_functions(cat, nsp, schema):
    blocks = []
    for oid, name, kind, lang, src, owner, args in cat.rows("""
            SELECT p.oid, p.proname, p.prokind, l.lanname, p.prosrc, pg_get_userbyid(p.proowner),
                   pg_get_function_identity_arguments(p.oid)
              FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
             WHERE p.pronamespace = %s ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)""", nsp):
        word = {"f": "FUNCTION", "p": "PROCEDURE", "a": "AGGREGATE", "w": "FUNCTION"}[kind]
        target = f"{ident(schema)}.{ident(name)}({args})"
        if kind == "a":
            head = [f"-- AGGREGATE {target}"]
        else:
            definition = cat.one("SELECT pg_get_functiondef(%s::oid)", oid).rstrip("\n")
            if lang.startswith("plpython") and len(src) > PY_BODY_LIMIT:
                definition = definition.replace(src, python_call(src), 1)
            elif len(src) > BODY_LIMIT:
                first = src.strip("\n").splitlines()[0]
                definition = definition.replace(
                    src, f"\n{first}\n-- ... [a body of {len(src)} characters, generated: elided] ...\n", 1)
            head = [definition + ";"]
        blocks.append([*head, f"ALTER {word} {target} OWNER TO {ident(owner)};",
                       *comment_line(word, target, cat.comment(oid, "pg_proc")),
                       *cat.grants("SELECT proacl FROM pg_proc WHERE oid = %s",
                                   "SELECT proowner FROM pg_proc WHERE oid = %s", oid, "f", f"{word} {target}")])
    return blocks


# ---- files -----------------------------------------------------------------------------

def render_all(dsn):
    """{file name: text} for docs/schema/."""
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET search_path = pg_catalog")   # names print schema-qualified
        # Markdown around one SQL block: it reads as SQL, renders anywhere, and is not a
        # second copy of the deploy scripts' source to the tools that look for copies.
        return {f"{schema}.md": f"# Schema `{schema}`\n\n```sql\n{render_schema(conn, schema)}```\n"
                for schema in package_schemas(conn)}


def differences(files, target):
    """What differs between the generated files and the directory target: a list of
    'name (changed)', 'name (missing)', 'name (no longer generated)'."""
    suffixes = {Path(n).suffix for n in files}
    existing = {p.name for p in target.glob("*") if p.suffix in suffixes} if target.is_dir() else set()
    out = []
    for name in sorted(set(files) | existing):
        if name not in files:
            out.append(f"{name} (no longer generated)")
        elif name not in existing:
            out.append(f"{name} (missing)")
        elif (target / name).read_text() != files[name]:
            out.append(f"{name} (changed)")
    return out


def write_or_check(files, target, check, command):
    """Write files into target (removing the stale ones of the same kinds), or only
    compare (check); returns an exit code."""
    diff = differences(files, target)
    rel = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    if check:
        if diff:
            print(f"{rel}/ is out of date ({', '.join(diff)}): run {command}", file=sys.stderr)
            return 1
        return 0
    target.mkdir(parents=True, exist_ok=True)
    suffixes = {Path(n).suffix for n in files}
    for stale in [p for p in target.glob("*") if p.suffix in suffixes and p.name not in files]:
        stale.unlink()
    for name, text in files.items():
        (target / name).write_text(text)
    print(f"wrote {len(files)} files in {rel}/ ({len(diff)} changed, added or removed)")
    return 0


def generator_main(argv, module, doc, render, target):
    """The command line of a docs generator (this one and ops.gen_api_docs): --dsn, --check."""
    rel = target.relative_to(ROOT)
    ap = argparse.ArgumentParser(prog=f"python3 -m {module}", description=doc.split("\n\n")[0])
    ap.add_argument("--dsn", help="a database with the plan deployed (default: deploy a temporary one)")
    ap.add_argument("--check", action="store_true", help=f"exit 1 when {rel}/ is out of date")
    args = ap.parse_args(argv)
    with deployed_database(args.dsn) as dsn:
        files = render(dsn)
    return write_or_check(files, target, args.check, f"python3 -m {module} (or ./pgattest docs)")


def main(argv):
    return generator_main(argv, "ops.gen_schema_ref", __doc__, render_all, TARGET)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
