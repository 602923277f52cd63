"""deploy/pylib.sql must carry exactly the code in plpython/pgattest: one copy of each algorithm."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ops import gen_pylib  # noqa: E402


def test_generated_deploy_script_is_in_sync():
    assert gen_pylib.TARGET.read_text() == gen_pylib.render(), \
        "deploy/pylib.sql is out of date: run python3 -m ops.gen_pylib (after `sqitch rework pylib` once tagged)"


def test_generated_bootstrap_is_valid_python_and_lists_every_module():
    text = gen_pylib.render()
    body = text.split("$pysrc$")[1]
    assert ast.parse(body)
    modules = {p.stem for p in (ROOT / "plpython" / "pgattest").glob("*.py")}
    for stem in modules - {"__init__"}:
        assert f"'pgattest.{stem}'" in body


def test_sqlapi_functions_all_exist():
    sys.path.insert(0, str(ROOT / "plpython"))
    from pgattest import sqlapi
    assert all(callable(f) for f in sqlapi.FUNCTIONS.values())
    assert {"verify_inclusion", "verify_consistency", "verify_tlog_entry", "verify_dsse", "content_id"} <= set(sqlapi.FUNCTIONS)
