"""The tenant context is transaction-local: a reused (pooled) session never keeps it."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from ops import cluster


def visible_tenants(conn):
    return [r[0] for r in conn.execute("SELECT tenant_id FROM core.tenants ORDER BY 1")]


def test_tenant_setting_does_not_survive_commit_or_rollback(db, tenant_factory):
    tenant = tenant_factory("ctx")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
        assert visible_tenants(conn) == [tenant]
        conn.commit()
        # Same session, next transaction: as a pooler would hand it to the next client.
        assert conn.execute("SELECT core.current_tenant()").fetchone() == (None,)
        assert visible_tenants(conn) == []
        conn.commit()
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
        conn.rollback()
        assert visible_tenants(conn) == []


def test_app_role_without_tenant_cannot_register_or_see_tenants(db, tenant_factory):
    tenant_factory("hidden")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        assert visible_tenants(conn) == []
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT core.register_tenant('sneaky', 'x')")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pgbouncer(db):
    """PgBouncer in transaction pooling mode with ONE server connection in front of the test database."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.path.exists(binary):
        pytest.skip("pgbouncer is not installed (./pgattest setup installs it)")
    params = psycopg.conninfo.conninfo_to_dict(db)
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="pgattest-bouncer-"))
    backend = " ".join(f"{k}={v}" for k, v in params.items() if k in ("host", "port", "user", "password", "dbname"))
    (workdir / "pgbouncer.ini").write_text(f"""[databases]
pgattest = {backend} pool_size=1
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 20
logfile = {workdir}/pgbouncer.log
pidfile = {workdir}/pgbouncer.pid
""")
    user = cluster.CLUSTER_USER if os.geteuid() == 0 else None  # pgbouncer refuses to run as root
    if user:
        shutil.chown(workdir, user, user)
        shutil.chown(workdir / "pgbouncer.ini", user, user)
    cmd = ["runuser", "-u", user, "--", binary, str(workdir / "pgbouncer.ini")] if user else [binary, str(workdir / "pgbouncer.ini")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            pytest.fail(f"pgbouncer did not start: {(workdir / 'pgbouncer.log').read_text() if (workdir / 'pgbouncer.log').exists() else ''}")
        yield f"host=127.0.0.1 port={port} dbname=pgattest user={params.get('user', 'postgres')}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def test_pgbouncer_transaction_pooling_does_not_leak_tenant(pgbouncer, tenant_factory):
    tenant = tenant_factory("pool")
    # prepare_threshold=None: no server-side prepared statements through a transaction pooler.
    with psycopg.connect(pgbouncer, prepare_threshold=None) as first, \
         psycopg.connect(pgbouncer, prepare_threshold=None) as second:
        first.execute("SET LOCAL ROLE pgattest_app")
        first.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
        pid_first = first.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert visible_tenants(first) == [tenant]
        first.commit()
        # The other client gets the very same server session (pool_size=1) ...
        second.execute("SET LOCAL ROLE pgattest_app")
        pid_second = second.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert pid_second == pid_first
        # ... and no tenant with it.
        assert second.execute("SELECT core.current_tenant()").fetchone() == (None,)
        assert visible_tenants(second) == []
        second.commit()
