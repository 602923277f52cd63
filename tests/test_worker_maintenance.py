"""The worker's maintenance round: audit partitions ahead and triage views refreshed where
pg_cron does not run them, one worker at a time, never stopping the queue."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from worker.rekor_worker import Worker

ROOT = Path(__file__).resolve().parents[1]


def future_partitions(conn):
    """Names of audit.events partitions that start after the current month."""
    return sorted(r[0] for r in conn.execute(
        """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit.events'::regclass
              AND c.relname > 'events_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY"m"MM')""").fetchall())


def refreshed(conn):
    return dict(conn.execute("SELECT view_name::text, refreshed_at FROM _pgattest.triage_views").fetchall())


def test_a_worker_makes_the_coming_partitions_and_refreshes_the_triage_views(fresh_db):
    """A database whose coming months have no partition (as one would be three months after
    its deploy with nothing scheduled): a running worker makes them and refreshes the views."""
    _, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as su:
        ahead = future_partitions(su)
        assert ahead, "the deploy makes the coming months' partitions"
        for name in ahead:
            su.execute(f"DROP TABLE audit.{name}")
        assert future_partitions(su) == []
        before = refreshed(su)
        assert before, "the triage views are registered"
    env = dict(os.environ, PYTHONPATH=str(ROOT), PGATTEST_LOG_LEVEL="INFO")
    proc = subprocess.Popen([sys.executable, "-m", "worker.rekor_worker", "--dsn", dsn, "--role", "pgattest_worker",
                             "--worker-id", "maint", "--maintenance-seconds", "0.5", "--poll-seconds", "0.5"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        with psycopg.connect(dsn, autocommit=True) as su:
            while time.time() < deadline and (future_partitions(su) != ahead or
                                              any(refreshed(su)[v] == before[v] for v in before)):
                time.sleep(0.3)
            assert future_partitions(su) == ahead, "the worker made the coming months' partitions again"
            now = refreshed(su)
            assert all(now[v] is not None and now[v] != before[v] for v in before), (before, now)
            forced = su.execute("""SELECT bool_and(c.relrowsecurity AND c.relforcerowsecurity) FROM pg_class c
                                    WHERE c.relname = ANY(%s) AND c.relnamespace = 'audit'::regnamespace""",
                                (ahead,)).fetchone()[0]
            assert forced, "partitions made by the worker have RLS forced like the others"
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[1].decode()
    assert proc.returncode == 0, out
    assert '"maintenance"' in out and '"audit_partitions"' in out, out


def one_round(worker):
    """worker.maintain() once, in an event loop of its own: {job: rows changed or None}."""
    async def run():
        worker._setup()
        try:
            return await worker.maintain()
        finally:
            await worker._close()
    return asyncio.run(run())


def test_one_worker_per_round_runs_a_job_and_a_failure_does_not_stop_the_others(db):
    """While another session holds a job's lock, the round skips that job (None) and runs the
    rest; a job that fails (no privilege) is logged and the round goes on."""
    worker = Worker(db, worker_id="maint-lock", role="pgattest_worker")
    with psycopg.connect(db, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(1885823860, 1)")
        try:
            done = one_round(worker)
        finally:
            holder.execute("SELECT pg_advisory_unlock(1885823860, 1)")
    assert done["audit partitions"] is None, "another worker holds the partition job: skipped"
    assert done["triage refresh"] is not None and done["triage refresh"] >= 1
    assert one_round(worker)["audit partitions"] is not None, "free again: this worker runs it"

    unprivileged = Worker(db, worker_id="maint-denied", role="pgattest_app")
    assert one_round(unprivileged) == {}, "a job the role may not run fails alone and is not reported as run"
    failed = unprivileged.metrics.maintenance.labels("audit partitions", "failed")._value.get()
    assert failed == 1


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_a_negative_maintenance_interval_is_refused(db, value):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "worker.rekor_worker", "--dsn", db, "--maintenance-seconds", value],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "--maintenance-seconds" in proc.stderr
