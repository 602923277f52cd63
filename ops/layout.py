"""Which Sqitch change made which database object: the layout's honesty check.

The rule of the layout (issue 13): one change per object. A change may ALTER, COMMENT
ON or GRANT on another change's object, but only the change that created an object
may create or replace it again (its own reworks included), and every object in the
module schemas must have been created by some change of the plan.

How it is checked: a new database first gets two superuser event triggers
(`ddl_command_end` and `sql_drop`) that log every DDL command, with clock_timestamp()
and the backend pid, into `layout_audit.ddl_log` (a schema of its own, outside the
package). Then the plan is deployed with one plain `sqitch deploy`, and each logged
command is attributed to the change that ran it.

Attribution is by time window: Sqitch runs a change's deploy script in its own psql
process and only then records the change in `sqitch.changes`, whose `committed_at`
defaults to clock_timestamp(); the next script starts after that. So a command logged
at t belongs to the first change with committed_at > t (same server clock for both).
It is cross-checked by pid: each psql process runs exactly one script, so every
backend pid must fall into exactly one window (`attribute()` raises otherwise). This
is exact for a sequential deploy and costs one deploy (~7 s), where deploying change
by change (`sqitch deploy --to X` per change) would cost a Sqitch start-up per change.
The registry Sqitch creates on a fresh target is skipped (schema `sqitch`).

    python3 -m ops.layout [--dsn ADMIN_DSN]   deploy the plan into a temporary
                                              database and print what the checks find
"""

import argparse
import os
import secrets
import sys
from collections import namedtuple
from pathlib import Path

from ops import cluster

ROOT = Path(__file__).resolve().parents[1]

# Every schema of the package (deploy/schemas.sql); objects in them must belong to a change.
MODULE_SCHEMAS = ("core", "attestor", "proofchain", "vex", "vexhub", "verdict", "trustverdict",
                  "watchlist", "unknowns", "triage", "audit", "health", "_pgattest")

AUDIT_SCHEMA = "layout_audit"

AUDIT_SQL = f"""
CREATE SCHEMA {AUDIT_SCHEMA};
CREATE TABLE {AUDIT_SCHEMA}.ddl_log (
    seq             bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    pid             integer NOT NULL DEFAULT pg_backend_pid(),
    event           text NOT NULL,
    command_tag     text NOT NULL,
    classid         oid,
    objid           oid,
    objsubid        integer,
    object_type     text,
    schema_name     text,
    object_identity text,
    implicit        boolean NOT NULL DEFAULT false
);
-- SECURITY DEFINER: the changes run DDL as pgattest_owner, which may not write here.
CREATE FUNCTION {AUDIT_SCHEMA}.log_ddl() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO {AUDIT_SCHEMA}.ddl_log (event, command_tag, classid, objid, objsubid, object_type,
                                        schema_name, object_identity)
    SELECT 'ddl_command_end', c.command_tag, c.classid, c.objid, c.objsubid, c.object_type,
           c.schema_name, c.object_identity
      FROM pg_event_trigger_ddl_commands() c;
    -- ALTER TABLE ... ADD PRIMARY KEY / UNIQUE / EXCLUDE creates an index that no command
    -- reports: log it as created by that command (implicit: it counts as an ALTER).
    INSERT INTO {AUDIT_SCHEMA}.ddl_log (event, command_tag, classid, objid, objsubid, object_type,
                                        schema_name, object_identity, implicit)
    SELECT DISTINCT 'ddl_command_end', 'CREATE INDEX', 'pg_class'::regclass, i.indexrelid, 0, o.type,
           o.schema, o.identity, true
      FROM pg_event_trigger_ddl_commands() c
      JOIN pg_index i ON i.indrelid = c.objid
     CROSS JOIN pg_identify_object('pg_class'::regclass, i.indexrelid, 0) o
     WHERE c.command_tag = 'ALTER TABLE' AND c.classid = 'pg_class'::regclass
       AND NOT EXISTS (SELECT FROM {AUDIT_SCHEMA}.ddl_log l
                        WHERE l.classid = 'pg_class'::regclass AND l.objid = i.indexrelid
                          AND l.event = 'ddl_command_end' AND l.command_tag LIKE 'CREATE %');
END
$$;
CREATE FUNCTION {AUDIT_SCHEMA}.log_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO {AUDIT_SCHEMA}.ddl_log (event, command_tag, classid, objid, objsubid, object_type,
                                        schema_name, object_identity)
    SELECT 'sql_drop', tg_tag, d.classid, d.objid, d.objsubid, d.object_type, d.schema_name,
           d.object_identity
      FROM pg_event_trigger_dropped_objects() d;
END
$$;
CREATE EVENT TRIGGER layout_audit_ddl ON ddl_command_end EXECUTE FUNCTION {AUDIT_SCHEMA}.log_ddl();
CREATE EVENT TRIGGER layout_audit_drop ON sql_drop EXECUTE FUNCTION {AUDIT_SCHEMA}.log_drop();
"""

# One logged command. change: the change name that ran it (None: outside any change);
# instance: its position in the deployed plan (reworks of a name have several).
Command = namedtuple("Command", "seq at pid event command_tag classid objid objsubid object_type "
                                "schema_name object_identity implicit change instance",
                     defaults=(False, None, None))
# One object found in the catalog. parents: (classid, objid) of the objects it depends on
# internally (such an implicit object, e.g. a range type's multirange, comes with its parent).
CatalogObject = namedtuple("CatalogObject", "classid objid kind identity parents")

Deployed = namedtuple("Deployed", "change_id change committed_at")


def is_create(tag):
    """Whether a command tag creates (or replaces) an object."""
    return tag.startswith("CREATE ") or tag in ("SELECT INTO", "IMPORT FOREIGN SCHEMA")


def install_audit(dsn):
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(AUDIT_SQL)


def read_log(conn):
    """The raw log rows (without attribution), in order."""
    rows = conn.execute(f"""
        SELECT seq, at, pid, event, command_tag, classid::bigint, objid::bigint, objsubid, object_type,
               schema_name, object_identity, implicit
          FROM {AUDIT_SCHEMA}.ddl_log ORDER BY seq""").fetchall()
    return [Command(*r) for r in rows]


def read_changes(conn):
    """The deployed changes in deploy order."""
    rows = conn.execute("SELECT change_id, change, committed_at FROM sqitch.changes "
                        "ORDER BY committed_at, change_id").fetchall()
    return [Deployed(*r) for r in rows]


def _is_registry(cmd):
    return cmd.schema_name == "sqitch" or (cmd.object_type == "schema" and cmd.object_identity == "sqitch")


class AttributionError(AssertionError):
    pass


def attribute(log, changes):
    """Each command of log with the change that ran it (time window, checked by pid).

    A command at t belongs to the first change committed after t; commands after the
    last change belong to none (change None). Commands of the Sqitch registry's own
    set-up are dropped. Raises AttributionError when a backend pid's commands fall
    into more than one window: then the windows cannot be trusted.
    """
    registry_pids = {c.pid for c in log if _is_registry(c)}
    out = []
    for cmd in log:
        if cmd.pid in registry_pids:
            continue
        idx = next((i for i, ch in enumerate(changes) if cmd.at < ch.committed_at), None)
        change = changes[idx].change if idx is not None else None
        out.append(cmd._replace(change=change, instance=idx))
    windows = {}
    for cmd in out:
        windows.setdefault(cmd.pid, set()).add(cmd.instance)
    mixed = {pid: w for pid, w in windows.items() if len(w) > 1}
    if mixed:
        detail = "; ".join(f"pid {pid}: changes {sorted((changes[i].change if i is not None else None) for i in w)}"
                           for pid, w in mixed.items())
        raise AttributionError(f"one backend ran commands of several changes, the time windows are unreliable: {detail}")
    return out


def _key(cmd):
    return (cmd.classid, cmd.object_identity)


# The one sanctioned re-creation: a rework of the PL/Python library re-creates every
# wrapper (_pgattest.refresh_py_functions) so that each embeds the new library version,
# which is how a live backend notices the new library at its next call without running
# SQL. The wrapper's definition is otherwise unchanged and stays in its own change.
LIBRARY_CHANGE = "_pgattest/pylib"


def redefinitions(attributed):
    """Messages, one per object that a change created or replaced after a different
    change had created it.

    The owner of an object is the change that first created it; the owner may create
    or replace it again (its reworks). When the owner itself drops the object (say, a
    rework moving it elsewhere), ownership ends and the next creator owns it; a drop by
    another change does not end it (dropping and re-creating is still redefining).
    Indexes that ALTER TABLE adds with a constraint are ALTERs, not creations, here.
    """
    owner = {}
    found = {}   # (object, owner, other change) -> (object_type, how many times)
    for cmd in attributed:
        if cmd.objid is None or cmd.object_identity is None or cmd.implicit:
            continue
        key = _key(cmd)
        if cmd.event == "sql_drop":
            if key in owner and owner[key] == cmd.change:
                del owner[key]
            continue
        if not is_create(cmd.command_tag):
            continue
        if key not in owner:
            owner[key] = cmd.change
        elif cmd.change == LIBRARY_CHANGE and cmd.object_type == "function":
            continue  # a reworked library re-stamps the PL/Python wrappers (see LIBRARY_CHANGE)
        elif owner[key] != cmd.change:
            hit = (cmd.object_identity, owner[key], cmd.change)
            found[hit] = (cmd.object_type, found.get(hit, (None, 0))[1] + 1)
    return [f"{kind} {ident} was created by change {first!r} and created or replaced again by change "
            f"{other!r}" + (f" ({n} times)" if n > 1 else "")
            for (ident, first, other), (kind, n) in found.items()]


CATALOG_SQL = """
WITH ns AS (
    SELECT oid FROM pg_namespace WHERE nspname = ANY(%(schemas)s)
), objs(classid, objid) AS (
    SELECT 'pg_namespace'::regclass, n.oid FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_class'::regclass, c.oid FROM pg_class c
     WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind <> 'c'   -- composite types: as types
    UNION ALL
    SELECT 'pg_type'::regclass, t.oid FROM pg_type t
     WHERE t.typnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)   -- array types come with their type
       AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')  -- not a row type
    UNION ALL
    SELECT 'pg_proc'::regclass, p.oid FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM ns)
    UNION ALL
    SELECT 'pg_trigger'::regclass, tg.oid FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
     WHERE c.relnamespace IN (SELECT oid FROM ns) AND NOT tg.tgisinternal
    UNION ALL
    SELECT 'pg_policy'::regclass, pol.oid FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
     WHERE c.relnamespace IN (SELECT oid FROM ns)
)
SELECT o.classid::oid::bigint, o.objid::bigint, i.type, i.identity,
       coalesce((SELECT array_agg(ARRAY[d.refclassid::bigint, d.refobjid::bigint])
                   FROM pg_depend d
                  -- 'P': a partition's clone of its parent's trigger or index comes with the parent's
                  WHERE d.classid = o.classid AND d.objid = o.objid AND d.deptype IN ('i', 'P')),
                '{}')
  FROM objs o, pg_identify_object(o.classid, o.objid, 0) i
 ORDER BY i.type, i.identity
"""


def catalog_objects(conn, schemas=MODULE_SCHEMAS):
    rows = conn.execute(CATALOG_SQL, {"schemas": list(schemas)}).fetchall()
    return [CatalogObject(cid, oid, kind, ident, [tuple(p) for p in parents])
            for cid, oid, kind, ident, parents in rows]


def orphans(objects, attributed):
    """Messages, one per catalog object no change of the plan created.

    An object is created by a change when a CREATE command of that change logged its
    (classid, objid) (for an index ALTER TABLE adds with a constraint, the audit trigger
    logs it for that ALTER TABLE); an object no command reports (such as a range type's
    multirange) comes with the object it depends on internally.
    """
    made = {(c.classid, c.objid): c.change for c in attributed
            if c.event == "ddl_command_end" and is_create(c.command_tag) and c.objid}
    by_key = {(o.classid, o.objid): o for o in objects}

    def creator(key, seen=()):
        if key in made:
            return made[key]
        obj = by_key.get(key)
        for parent in (obj.parents if obj else []):
            if parent not in seen:
                found = creator(parent, seen + (key,))
                if found:
                    return found
        return None

    problems = []
    for obj in objects:
        key = (obj.classid, obj.objid)
        if creator(key) is None:
            how = "created outside any change" if key in made else "created by no logged command"
            problems.append(f"{obj.kind} {obj.identity} belongs to no change of the plan ({how})")
    return problems


def audited_deploy(admin_dsn, plan_dir=ROOT, prefix="pgattest_layout", dbname=None):
    """Create a database with the audit triggers and deploy plan_dir's plan into it.
    Returns (dbname, dsn)."""
    dbname = dbname or f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    dsn = cluster.create_database(admin_dsn, dbname)
    try:
        install_audit(dsn)
        env = dict(os.environ, SQITCH_FULLNAME="pgattest", SQITCH_EMAIL="pgattest@localhost")
        cluster.run(["sqitch", "deploy", "--target", cluster.uri_from_dsn(admin_dsn, dbname)],
                    cwd=plan_dir, env=env)
    except BaseException:
        cluster.drop_database(admin_dsn, dbname)
        raise
    return dbname, dsn


def check(dsn, schemas=MODULE_SCHEMAS):
    """(attributed log, redefinition messages, orphan messages) of an audited database."""
    import psycopg
    with psycopg.connect(dsn, autocommit=True) as conn:
        attributed = attribute(read_log(conn), read_changes(conn))
        objects = catalog_objects(conn, schemas)
    return attributed, redefinitions(attributed), orphans(objects, attributed)


def main(argv):
    ap = argparse.ArgumentParser(prog="python3 -m ops.layout", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dsn", help="superuser DSN of the server (default: the tests' server)")
    ap.add_argument("--keep", action="store_true", help="keep the audited database")
    args = ap.parse_args(argv)
    admin, _, cleanup = (args.dsn, None, lambda: None) if args.dsn else cluster.test_server()
    name, dsn = audited_deploy(admin)
    try:
        attributed, redefined, orphaned = check(dsn)
        print(f"{len(attributed)} commands in {len({c.instance for c in attributed})} changes")
        for msg in redefined:
            print("REDEFINED  " + msg)
        for msg in orphaned:
            print("NO CHANGE  " + msg)
        return 1 if redefined or orphaned else 0
    finally:
        if args.keep:
            print(f"kept database {name}")
        else:
            cluster.drop_database(admin, name)
        cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
