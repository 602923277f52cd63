"""Database fixtures shared by every test.

The server is chosen by ops.cluster.test_server(): PGATTEST_TEST_DSN, else the
embedded cluster, else testcontainers, else a clear error. Each test session deploys
the whole plan into a new database of its own and drops it at the end
(PGATTEST_KEEP_DB=1 keeps it for a post-mortem). Helpers shared with the benchmarks live
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
def db(server):
    """Superuser DSN of a fresh database with the whole plan deployed (and pgTAP)."""
    name, dsn = cluster.fresh_database(server)
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
def fresh_db(server):
    """Factory: fresh_db(deploy=True, to=None) -> (dbname, dsn); dropped after the test."""
    made = []

    def make(deploy=True, to=None):
        name, dsn = cluster.fresh_database(server, prefix="pgattest_mig", deploy=deploy, to=to)
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
