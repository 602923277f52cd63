"""docs/schema/ and docs/api/ are generated from a deployed database and kept fresh.

Like deploy/_pgattest/pylib.sql (tests/python/test_pylib_sync.py): a fresh deploy of the plan is
rendered in memory and compared with the committed files; a change to the schema or
to a COMMENT ON text without regenerating fails here.
"""

import pytest

from ops import gen_api_docs, gen_schema_ref

REGENERATE = "./pgattest docs (or python3 -m ops.gen_schema_ref and python3 -m ops.gen_api_docs)"


@pytest.fixture(scope="module")
def docs_db(audited_db):
    """A fresh deploy of the plan where no test adds objects (the shared `db` may hold
    other tests' objects). The audited one serves: its audit schema is not the package's."""
    return audited_db


def test_schema_reference_is_fresh(docs_db):
    files = gen_schema_ref.render_all(docs_db)
    diff = gen_schema_ref.differences(files, gen_schema_ref.TARGET)
    assert not diff, f"docs/schema/ is out of date ({', '.join(diff)}): run {REGENERATE}"


def test_api_reference_is_fresh(docs_db):
    files = gen_api_docs.render_all(docs_db)
    diff = gen_schema_ref.differences(files, gen_api_docs.TARGET)
    assert not diff, f"docs/api/ is out of date ({', '.join(diff)}): run {REGENERATE}"


def test_rendering_is_deterministic(docs_db):
    assert gen_schema_ref.render_all(docs_db) == gen_schema_ref.render_all(docs_db)


def test_freshness_check_fails_on_a_stale_file(docs_db, tmp_path):
    files = gen_schema_ref.render_all(docs_db)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert gen_schema_ref.differences(files, tmp_path) == []
    (tmp_path / "core.md").write_text(files["core.md"].replace("GRANT", "-- GRANT", 1))
    (tmp_path / "gone.md").write_text("-- a schema that no longer exists\n")
    assert gen_schema_ref.differences(files, tmp_path) == ["core.md (changed)", "gone.md (no longer generated)"]
    assert gen_schema_ref.write_or_check(files, tmp_path, check=True, command="x") == 1
    assert gen_schema_ref.write_or_check(files, tmp_path, check=False, command="x") == 0
    assert gen_schema_ref.differences(files, tmp_path) == []
