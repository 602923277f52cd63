"""The layout is honest: one change per object (issue 13).

The plan is deployed once into a new database whose event triggers log every DDL
command; ops/layout.py attributes each command to the Sqitch change that ran it (time
windows against sqitch.changes.committed_at, checked by backend pid: see its docstring)
and checks that
  a. no change creates or replaces an object that a different change created (reworks
     of the same change name are the same change; ALTER, COMMENT and GRANT are free);
  b. every object in the module schemas was created by some change of the plan.
The last tests prove both checks can fail: on a synthetic log, and on a throwaway
Sqitch project deployed for real.
"""

from datetime import datetime, timedelta, timezone
from textwrap import dedent

import psycopg
import pytest

from ops import cluster, layout


@pytest.fixture(scope="module")
def audited(audited_db):
    """(attributed commands, redefinition messages, orphan messages) of the whole plan
    (audited_db: tests/conftest.py)."""
    return layout.check(audited_db)


def test_every_logged_command_belongs_to_a_change(audited):
    attributed, _, _ = audited
    outside = [f"{c.command_tag} {c.object_identity}" for c in attributed if c.change is None]
    assert not outside, "DDL ran after the last change was recorded:\n  " + "\n  ".join(outside)
    # The attribution itself: the module schemas are made by the change `schemas`.
    made_core = [c.change for c in attributed
                 if c.command_tag == "CREATE SCHEMA" and c.object_identity == "core"]
    assert made_core == ["schemas"]


def test_no_change_redefines_an_object_another_change_created(audited):
    _, redefined, _ = audited
    assert not redefined, ("objects created or replaced by a change other than the one that created them "
                           "(move each definition into its own change, or rework that change):\n  "
                           + "\n  ".join(redefined))


def test_every_object_in_the_module_schemas_belongs_to_a_change(audited):
    _, _, orphaned = audited
    assert not orphaned, "objects no change of the plan created:\n  " + "\n  ".join(orphaned)


# ---- the checks can fail ---------------------------------------------------------------

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _at(seconds):
    return T0 + timedelta(seconds=seconds)


def _cmd(seq, t, pid, tag, identity, objid, event="ddl_command_end", classid=1255, kind="function"):
    return layout.Command(seq, _at(t), pid, event, tag, classid, objid, 0, kind, "s", identity)


def test_checks_flag_a_synthetic_log():
    changes = [layout.Deployed("1", "s/f", _at(10)), layout.Deployed("2", "s/t", _at(20)),
               layout.Deployed("3", "s/g", _at(30)), layout.Deployed("4", "s/f", _at(40)),
               layout.Deployed("5", "s/h", _at(50))]
    log = [
        _cmd(1, 0, 99, "CREATE SCHEMA", "sqitch", 5, classid=2615, kind="schema"),  # the registry: skipped
        _cmd(2, 1, 100, "CREATE FUNCTION", "s.f()", 1000),
        _cmd(3, 11, 101, "CREATE TABLE", "s.t", 2000, classid=1259, kind="table"),
        _cmd(4, 12, 101, "COMMENT", "s.f()", 1000),                               # allowed
        _cmd(5, 21, 102, "CREATE FUNCTION", "s.f()", 1000),                       # the defect
        _cmd(6, 31, 103, "CREATE FUNCTION", "s.f()", 1000),                       # a rework: allowed
        _cmd(7, 41, 104, "DROP FUNCTION", "s.h()", 3000, event="sql_drop"),
        _cmd(8, 42, 104, "ALTER TABLE", "s.t", 2000, classid=1259, kind="table"),  # allowed
        _cmd(9, 60, 105, "CREATE FUNCTION", "s.x()", 4000),                       # after the last change
    ]
    attributed = layout.attribute(log, changes)
    assert [(c.seq, c.change) for c in attributed] == [
        (2, "s/f"), (3, "s/t"), (4, "s/t"), (5, "s/g"), (6, "s/f"), (7, "s/h"), (8, "s/h"), (9, None)]

    redefined = layout.redefinitions(attributed)
    assert redefined == ["function s.f() was created by change 's/f' and created or replaced again by change 's/g'"]

    objects = [layout.CatalogObject(1255, 1000, "function", "s.f()", []),
               layout.CatalogObject(1259, 2000, "table", "s.t", []),
               layout.CatalogObject(1247, 2001, "type", "s.t_multirange", [(1259, 2000)]),  # implicit
               layout.CatalogObject(1255, 4000, "function", "s.x()", []),
               layout.CatalogObject(1255, 5000, "function", "s.y()", [])]
    assert layout.orphans(objects, attributed) == [
        "function s.x() belongs to no change of the plan (created outside any change)",
        "function s.y() belongs to no change of the plan (created by no logged command)"]

    # Ownership ends only when the owner drops the object (a rework moving it to another
    # change); a drop by another change followed by a re-creation is still a redefinition.
    create_f, create_again = attributed[0], attributed[3]
    drop = layout.Command(10, _at(21), 102, "sql_drop", "DROP FUNCTION", 1255, 1000, 0, "function", "s", "s.f()",
                          False, "s/g", 2)
    assert len(layout.redefinitions([create_f, drop, create_again])) == 1
    assert layout.redefinitions([create_f, drop._replace(change="s/f"), create_again]) == []


def test_attribution_refuses_a_backend_spanning_two_changes():
    changes = [layout.Deployed("1", "a", _at(10)), layout.Deployed("2", "b", _at(20))]
    log = [_cmd(1, 1, 100, "CREATE FUNCTION", "s.f()", 1000), _cmd(2, 11, 100, "CREATE FUNCTION", "s.g()", 1001)]
    with pytest.raises(layout.AttributionError, match="pid 100"):
        layout.attribute(log, changes)


SELFTEST_PLAN = """\
%syntax-version=1.0.0
%project=layout_selftest

selftest/schema 2026-01-01T00:00:00Z t <t@localhost> # the schema
selftest/f [selftest/schema] 2026-01-01T00:00:01Z t <t@localhost> # creates selftest.f()
selftest/t [selftest/f] 2026-01-01T00:00:02Z t <t@localhost> # creates selftest.t, comments on selftest.f()
selftest/g [selftest/t] 2026-01-01T00:00:03Z t <t@localhost> # replaces selftest.f(): the defect
@v1 2026-01-01T00:00:04Z t <t@localhost> # tag
selftest/f [selftest/f@v1] 2026-01-01T00:00:05Z t <t@localhost> # rework: replaces selftest.f() (allowed)
selftest/u [selftest/t] 2026-01-01T00:00:06Z t <t@localhost> # a unique key on selftest.t (an ALTER)
"""

SELFTEST_SCRIPTS = {
    "selftest/schema": "CREATE SCHEMA selftest;",
    "selftest/f@v1": "CREATE OR REPLACE FUNCTION selftest.f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
    "selftest/t": "CREATE TABLE selftest.t (a int PRIMARY KEY, b int);\n"
                  "COMMENT ON FUNCTION selftest.f() IS 'commented by another change';",
    "selftest/g": "CREATE OR REPLACE FUNCTION selftest.f() RETURNS int LANGUAGE sql AS 'SELECT 2';\n"
                  "CREATE FUNCTION selftest.g() RETURNS int LANGUAGE sql AS 'SELECT 3';",
    "selftest/f": "CREATE OR REPLACE FUNCTION selftest.f() RETURNS int LANGUAGE sql AS 'SELECT 4';",
    "selftest/u": "ALTER TABLE selftest.t ADD CONSTRAINT t_b_key UNIQUE (b);",
}


def test_checks_flag_a_throwaway_plan(server, tmp_path):
    (tmp_path / "sqitch.conf").write_text("[core]\n\tengine = pg\n")
    (tmp_path / "sqitch.plan").write_text(SELFTEST_PLAN)
    for change, sql in SELFTEST_SCRIPTS.items():
        for kind, body in (("deploy", sql), ("revert", "SELECT 1;"), ("verify", "SELECT 1;")):
            path = tmp_path / kind / f"{change}.sql"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"BEGIN;\n{body}\nCOMMIT;\n")
    name, dsn = layout.audited_deploy(server, plan_dir=tmp_path, prefix="pgattest_layout_selftest")
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE FUNCTION selftest.stray() RETURNS int LANGUAGE sql AS 'SELECT 5'")
        attributed, redefined, orphaned = layout.check(dsn, schemas=("selftest",))
    finally:
        cluster.drop_database(server, name)

    creators = {(c.command_tag, c.object_identity): c.change for c in attributed if not c.implicit}
    assert creators[("CREATE TABLE", "selftest.t")] == "selftest/t"
    assert creators[("CREATE FUNCTION", "selftest.g()")] == "selftest/g"
    assert redefined == [dedent("""\
        function selftest.f() was created by change 'selftest/f' and created or replaced again by change \
'selftest/g'""")]
    assert orphaned == ["function selftest.stray() belongs to no change of the plan (created outside any change)"]
    # The unique key's index, which no command reports, is attributed to its ALTER TABLE.
    implicit = [(c.object_identity, c.change) for c in attributed if c.implicit]
    assert implicit == [("selftest.t_b_key", "selftest/u")]
