"""deploy/_pgattest/pylib.sql must carry exactly the code in plpython/pgattest: one copy of each algorithm."""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ops import gen_pylib  # noqa: E402


def test_generated_deploy_script_is_in_sync():
    assert gen_pylib.TARGET.read_text() == gen_pylib.render(), \
        "deploy/_pgattest/pylib.sql is out of date: run python3 -m ops.gen_pylib (after `sqitch rework _pgattest/pylib` once tagged)"
    assert gen_pylib.VERIFY.read_text() == gen_pylib.render_verify(), \
        "verify/_pgattest/pylib.sql is out of date: run python3 -m ops.gen_pylib"


def test_generated_script_holds_each_module_once_as_valid_python():
    text = gen_pylib.render()
    rows = re.findall(r"^\('(pgattest(?:\.[a-z_0-9]+)?)', E'((?:[^'\\]|\\.)*)'\)[,;]$", text, re.M)
    names = [name for name, _ in rows]
    unescape = {"n": "\n", "t": "\t", "\\": "\\", "'": "'"}
    rows = [(name, re.sub(r"\\(.)", lambda m: unescape[m.group(1)], body)) for name, body in rows]
    sources = gen_pylib.sources()
    assert all(sources[name] == src for name, src in rows), "a module's literal does not decode to its source"
    modules = {"pgattest" if p.stem == "__init__" else f"pgattest.{p.stem}"
               for p in (ROOT / "plpython" / "pgattest").glob("*.py")}
    assert sorted(names) == sorted(modules) and len(names) == len(set(names))
    for _, src in rows:
        assert ast.parse(src)


def test_version_changes_with_any_byte_of_any_module():
    mods = gen_pylib.sources()
    base = gen_pylib.version(mods)
    assert re.fullmatch(r"[0-9a-f]{64}", base)
    for name in list(mods)[:3]:
        changed = dict(mods, **{name: mods[name] + " "})
        assert gen_pylib.version(changed) != base
    # Moving text from one module to the next changes it too (lengths are part of the digest).
    a, b = sorted(mods)[:2]
    moved = dict(mods, **{a: mods[a][:-1], b: mods[a][-1] + mods[b]})
    assert gen_pylib.version(moved) != base


def test_sqlapi_functions_all_exist():
    sys.path.insert(0, str(ROOT / "plpython"))
    from pgattest import sqlapi
    assert all(callable(sqlapi.resolve(name)) for name in sqlapi.ENTRIES)
    assert {"verify_inclusion", "verify_consistency", "verify_tlog_entry", "verify_dsse", "content_id"} <= set(sqlapi.ENTRIES)


def test_every_sql_entry_point_names_a_library_entry():
    """Each wrapper's entry (define_py_function's 4th argument) is in sqlapi.ENTRIES."""
    sys.path.insert(0, str(ROOT / "plpython"))
    from pgattest import sqlapi
    entries = set()
    for path in (ROOT / "deploy").rglob("*.sql"):
        entries |= set(re.findall(r"define_py_function\(\s*'[^']*',\s*'[^']*',\s*'[^']*',\s*'([a-z_0-9]+)'\)",
                                  path.read_text()))
    assert len(entries) >= 15, entries
    assert entries <= set(sqlapi.ENTRIES), entries - set(sqlapi.ENTRIES)
