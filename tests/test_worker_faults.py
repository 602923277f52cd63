"""Issue 16: the worker survives a pooler restart mid-run, and every item is submitted
exactly once (in the log and in the database). The pooler is a PgBouncer in transaction
pooling mode in front of the test server, killed and started again (pgbouncer comes with
./pgattest setup).

Database restarts (fast and immediate, three times each, with two workers) are the
resilience suite's: tests/resilience/test_restarts.py, on the session's private cluster;
the single immediate restart this file had, on a cluster and a deploy of its own, is a
subset of it."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from tests.support import pgbouncer as bouncers
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, new_tenant, register_log
from tests.support.resilience import wait_until

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def submit_many(db, tenants, signer, log_id, n):
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        for i, tenant in enumerate(tenants):
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            for _ in range(n // len(tenants) + (1 if i < n % len(tenants) else 0)):
                conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(signer.envelope()), log_id))
            conn.commit()


def counts(db, tenants):
    """(states, entries, distinct envelopes with an entry), read directly, retrying while the server is down."""
    for _ in range(100):
        try:
            with psycopg.connect(db, row_factory=dict_row, connect_timeout=2) as conn:
                rows = conn.execute("""SELECT state, count(*) AS n FROM attestor.rekor_submission_queue
                                        WHERE tenant_id = ANY(%s) GROUP BY state""", (tenants,)).fetchall()
                e = conn.execute("""SELECT count(*) AS entries, count(DISTINCT (tenant_id, envelope_id)) AS envelopes
                                      FROM proofchain.rekor_entries WHERE tenant_id = ANY(%s)""", (tenants,)).fetchone()
            return {r["state"]: r["n"] for r in rows}, e["entries"], e["envelopes"]
        except psycopg.OperationalError:
            time.sleep(0.3)
    raise AssertionError("the database did not come back")


def spawn_worker(dsn, listen_dsn, name, *extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "worker.rekor_worker", "--dsn", make_conninfo(dsn, application_name=name),
                             "--listen-dsn", listen_dsn, "--worker-id", name, "--role", "pgattest_worker",
                             "--batch", "20", "--concurrency", "32", "--lease", "10 seconds", "--http-timeout", "2",
                             "--log-level", "WARNING", *extra], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish(proc):
    assert proc.poll() is None, "the worker survived: " + proc.stderr.read().decode()[-3000:]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    return proc.stderr.read().decode()


def check_exactly_once(db, tenants, log, size_before, n):
    states, entries, envelopes = counts(db, tenants)
    assert states == {"submitted": n}, states
    assert (entries, envelopes) == (n, n), "one verified entry per envelope"
    assert log.size - size_before == n, "each envelope in the log exactly once (resubmissions found it there)"


def test_a_pooler_restart_mid_run_loses_and_duplicates_nothing(db, tmp_path):
    if not bouncers.available():
        pytest.skip("no pgbouncer (./pgattest setup)")
    params = conninfo_to_dict(db)
    users = tmp_path / "users.txt"
    users.write_text(f'"{params.get("user", "postgres")}" ""\n')
    bouncer = bouncers.PgBouncer({
        "databases": {"*": f"host={params.get('host', '127.0.0.1')} port={params.get('port', 5432)}"},
        "pgbouncer": {"auth_type": "trust", "auth_file": str(users), "pool_mode": "transaction",
                      "max_client_conn": "200", "default_pool_size": "10",
                      "ignore_startup_parameters": "extra_float_digits"}})
    listen = bouncer.port
    pooled = make_conninfo(db, host="127.0.0.1", port=listen)
    signer = Signer()
    bouncer.start()
    try:
        with LocalRekor("v2", latency_ms=30) as log:
            log_id = register_log(db, log)
            tenants = [new_tenant(db, signer, "pooler") for _ in range(2)]
            submit_many(db, tenants, signer, log_id, 300)
            size = log.size
            proc = spawn_worker(pooled, db, "pooled-worker", "--poll-seconds", "0.5")
            try:
                wait_until(lambda: counts(db, tenants)[0].get("submitted", 0) >= 60, 120, "progress")
                bouncer.kill()
                time.sleep(2)  # the worker finds the pooler gone, and keeps trying
                bouncer.start()
                wait_until(lambda: counts(db, tenants)[0] == {"submitted": 300}, 180,
                           "the queue to drain after the pooler restart")
            finally:
                stderr = finish(proc) if proc.poll() is None else proc.stderr.read().decode()
            check_exactly_once(db, tenants, log, size, 300)
            assert "reconnecting" in stderr or "database unreachable" in stderr, stderr[-2000:]
    finally:
        bouncer.close()
