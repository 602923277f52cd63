"""The PL/Python library as the database runs it: one copy in _pgattest.pylib, loaded once per
backend by thin wrappers, from a hash-checked file cache where SQL cannot run (parallel
workers), and reloaded by a live backend after the library changes."""

import os
from pathlib import Path

import psycopg
import pytest


def test_wrappers_are_thin_and_the_library_is_stored_once(admin_conn):
    sizes = admin_conn.execute(
        """SELECT count(*) AS n, max(length(p.prosrc)) AS largest
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE l.lanname = 'plpython3u'""").fetchone()
    library = admin_conn.execute("SELECT sum(length(source)) FROM _pgattest.pylib").fetchone()[0]
    assert sizes[0] >= 15
    assert sizes[1] < 8192, "a wrapper carries more than the loader"
    assert library > 50_000, "the library rows look empty"


def test_parallel_workers_load_the_library(db):
    """Parallel workers cannot run SQL from PL/Python: they load from the file cache."""
    with psycopg.connect(db, autocommit=True) as setup:
        setup.execute("CREATE TABLE IF NOT EXISTS public.parallel_leaves AS "
                      "SELECT sha256(int8send(g)) AS h FROM generate_series(1, 50000) g")
        setup.execute("ANALYZE public.parallel_leaves")
    with psycopg.connect(db, autocommit=True) as conn:  # a fresh backend: nothing loaded yet
        for setting in ("max_parallel_workers_per_gather = 2", "parallel_setup_cost = 0",
                        "parallel_tuple_cost = 0", "min_parallel_table_scan_size = 0"):
            conn.execute(f"SET {setting}")
        query = ("SELECT count(*) FILTER (WHERE proofchain.rfc6962_leaf_hash(h) = sha256('\\x00'::bytea || h)) "
                 "FROM public.parallel_leaves")
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query).fetchall())
        assert "Workers Launched: 2" in plan or "Workers Launched: 1" in plan, plan
        assert conn.execute(query).fetchone()[0] == 50000


def test_a_live_backend_reloads_a_changed_library(server, fresh_db):
    """A new library version (what a rework of _pgattest/pylib deploys) reaches a backend that
    loaded the old one, at its next call, without reconnecting."""
    _, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as live, psycopg.connect(dsn, autocommit=True) as deployer:
        old = live.execute("SELECT _pgattest.load_pylib()").fetchone()[0]
        with deployer.transaction():
            deployer.execute("UPDATE _pgattest.pylib SET source = source || E'\\n# a new version\\n' "
                             "WHERE module = 'pgattest.merkle'")
            deployer.execute("SELECT _pgattest.refresh_py_functions()")
        new = deployer.execute("SELECT _pgattest.pylib_version()").fetchone()[0]
        assert new != old
        assert live.execute("SELECT _pgattest.load_pylib()").fetchone()[0] == new
        assert live.execute("SELECT proofchain.rfc6962_leaf_hash('')").fetchone()[0] == \
            bytes.fromhex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")


def test_a_library_row_changed_without_its_wrappers_is_refused(server, fresh_db):
    """Rows and wrappers disagree (someone edited the table without refreshing): the loader
    refuses with 55000 instead of running code its wrappers were not made for."""
    _, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE _pgattest.pylib SET source = source || E'\\n# unrefreshed\\n' WHERE module = 'pgattest.merkle'")
        # The file cache of the deployed version still holds the right library: hide it from
        # this check by asking for a version no file has (a wrapper made for the edited rows).
        conn.execute("SELECT _pgattest.define_py_function('_pgattest.test_leaf(data bytea)', 'bytea', 'IMMUTABLE', 'rfc6962_leaf_hash')")
        conn.execute("UPDATE _pgattest.pylib SET source = source || E'# edited again\\n' WHERE module = 'pgattest.merkle'")
    with psycopg.connect(dsn, autocommit=True) as fresh:
        with pytest.raises(psycopg.Error) as err:
            fresh.execute("SELECT _pgattest.test_leaf('')")
        assert err.value.sqlstate == "55000"


def test_a_tampered_cache_file_is_not_loaded(db):
    """The file cache is accepted only when its SHA-256 is the version the wrapper expects;
    a tampered file is ignored and rewritten from the table. Needs the server's data
    directory on this machine (the embedded cluster); skipped for a remote server."""
    with psycopg.connect(db, autocommit=True) as conn:
        version = conn.execute("SELECT _pgattest.load_pylib()").fetchone()[0]
        data = conn.execute("SHOW data_directory").fetchone()[0]
    cache = Path(data) / "pgattest_pylib" / f"{version}.json"
    if not (cache.exists() and os.access(cache, os.W_OK)):
        pytest.skip("the server's data directory is not writable from here")
    original = cache.read_bytes()
    try:
        cache.write_text(original.decode().replace("def leaf_hash(", "def leaf_hash_tampered(", 1))
        with psycopg.connect(db, autocommit=True) as fresh:
            assert fresh.execute("SELECT proofchain.rfc6962_leaf_hash('')").fetchone()[0] == \
                bytes.fromhex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        assert cache.read_bytes() == original, "the loader did not rewrite the tampered cache from the table"
    finally:
        if cache.read_bytes() != original:
            cache.write_bytes(original)
