"""Database fixtures shared by every test.

The server is chosen by ops.cluster.test_server(): PGATTEST_TEST_DSN, else the
embedded cluster, else testcontainers, else a clear error. Each test session deploys
the whole plan once into a template database of its own; the session database and every
fresh database a test asks for are copies of it, dropped at the end (PGATTEST_KEEP_DB=1
keeps the session database for a post-mortem). Helpers shared with the benchmarks live
in tests/support/ (import them as tests.support.NAME).
"""

import os
import secrets
import sys
from pathlib import Path

import psycopg
import pytest

from ops import cluster

# The library (plpython/pgattest) is importable by every test: its SQLSTATE registry
# (pgattest.errors) and, for the pure-Python tests, the code itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plpython"))


@pytest.fixture(scope="session")
def server():
    """Superuser DSN of the test server (the maintenance database)."""
    try:
        dsn, where, cleanup = cluster.test_server()
    except cluster.HarnessError as exc:
        pytest.exit(str(exc), returncode=3)
    print(f"\n[pgattest] test server: {where}")
    yield dsn
    cleanup()


@pytest.fixture(scope="session")
def deployed_template(server):
    """Name of a database with the whole plan deployed (`sqitch deploy --verify`), made once
    per test session and never connected to again: every other fully deployed database of
    the session is a copy of it (CREATE DATABASE ... TEMPLATE), which takes about a second
    where a deploy takes a minute. Tests that exercise the deploy itself (test_layout's
    audited deploy, `to=` partial deploys, deploy=False) still run sqitch."""
    name, _ = cluster.fresh_database(server, prefix="pgattest_template")
    yield name
    cluster.drop_database(server, name)


@pytest.fixture(scope="session")
def fresh_database(server, deployed_template):
    """Factory for fixtures wider than a test: fresh_database(prefix) -> (dbname, dsn), a
    copy of the deployed template; the caller drops it (cluster.drop_database)."""
    def make(prefix="pgattest_test"):
        return cluster.fresh_database(server, prefix=prefix, template=deployed_template)
    return make


@pytest.fixture(scope="session")
def db(server, fresh_database):
    """Superuser DSN of a fresh database with the whole plan deployed (and pgTAP)."""
    name, dsn = fresh_database()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pgtap")
    yield dsn
    if not os.environ.get("PGATTEST_KEEP_DB"):
        cluster.drop_database(server, name)


@pytest.fixture(scope="session")
def audited_db(server):
    """DSN of a fresh database whose event triggers logged every DDL command of the plan's
    deploy (ops/layout.py); nothing else runs in it. Used by test_layout.py and, as a plain
    fresh deploy, by test_generated_docs.py."""
    from ops import layout
    name, dsn = layout.audited_deploy(server)
    yield dsn
    if not os.environ.get("PGATTEST_KEEP_DB"):
        cluster.drop_database(server, name)


@pytest.fixture
def fresh_db(server, deployed_template):
    """Factory: fresh_db(deploy=True, to=None) -> (dbname, dsn); dropped after the test.
    A whole deploy is a copy of the session's deployed template."""
    made = []

    def make(deploy=True, to=None):
        name, dsn = cluster.fresh_database(server, prefix="pgattest_mig", deploy=deploy, to=to,
                                           template=deployed_template)
        made.append(name)
        return name, dsn

    yield make
    for name in made:
        cluster.drop_database(server, name)


@pytest.fixture
def admin_conn(db):
    """An autocommit superuser connection to the session database."""
    with psycopg.connect(db, autocommit=True) as conn:
        yield conn


@pytest.fixture
def tenant_factory(admin_conn):
    """Registers uniquely named tenants (the session database is shared by tests)."""
    def make(label="t"):
        tenant = f"{label}-{secrets.token_hex(4)}"
        admin_conn.execute("SELECT core.register_tenant(%s, %s)", (tenant, f"test tenant {tenant}"))
        return tenant
    return make
