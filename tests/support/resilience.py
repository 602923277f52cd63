"""The resilience suite's queue run: the development log and workers as processes of their own,
and the invariants every scenario checks afterwards (no test here; see tests/resilience/).

The log is ops/devlog.py started as `python -m ops.devlog` (what `./pgattest devlog` runs),
the workers worker/rekor_worker.py as `python -m worker.rekor_worker` (what `./pgattest
worker` runs), each connecting as the superuser of the private cluster with --role
pgattest_worker, so killing or restarting anything here is what happens to a deployment.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import psycopg
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parents[2]


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT))


class DevLog:
    """`python -m ops.devlog ARGS` on a free port; the first line it prints says where and
    what to register. Has the attributes tests.support.queue_helpers.register_log reads."""

    def __init__(self, api="v2", *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "ops.devlog", "--api", api, "--port", "0", *args],
                                     cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the devlog did not start (exit {self.proc.wait(10)})")
        info = json.loads(line)
        self.api_version = api
        self.base_url = info["url"]
        self.public_key_pem = info["public_key_pem"]
        self.key_name = info["key_name"]
        self.tree_id = info["tree_id"]
        self.global_index_offset = info["global_index_offset"]
        self.client = httpx.Client(base_url=self.base_url, timeout=10)

    def stats(self):
        return self.client.get("/devlog/stats").json()

    @property
    def size(self):
        return self.stats()["size"]

    def root(self, size):
        """The honest root of the log's tree at size (hex)."""
        return self.client.get(f"/devlog/root/{size}").json()["root_hash"]

    def stop(self):
        self.client.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class WorkerProcess:
    """One `python -m worker.rekor_worker` process; its JSON log goes to a file (a pipe
    nobody reads would fill and stall it)."""

    def __init__(self, dsn, name, *extra, poll_seconds=1.0, lease="10 seconds", batch=10, concurrency=10,
                 http_timeout=2.0, http_retries=1):
        self.name = name
        self.logfile = tempfile.NamedTemporaryFile(prefix=f"pgattest-{name}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "worker.rekor_worker", "--dsn", make_conninfo(dsn, application_name=name),
             "--worker-id", name, "--role", "pgattest_worker", "--batch", str(batch), "--concurrency",
             str(concurrency), "--lease", lease, "--http-timeout", str(http_timeout), "--http-retries",
             str(http_retries), "--poll-seconds", str(poll_seconds), "--log-level", "INFO", *extra],
            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=self.logfile)

    def alive(self):
        return self.proc.poll() is None

    def log(self):
        return Path(self.logfile.name).read_text(errors="replace")

    def events(self, name):
        out = []
        for line in self.log().splitlines():
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if doc.get("event") == name:
                out.append(doc)
        return out

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        """SIGTERM: the worker hands back what it holds and exits 0; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.logfile.close()
        os.unlink(self.logfile.name)


class Workers:
    """The worker processes of a scenario: spawn(), stop() (every live one with SIGTERM, giving
    whether each was alive and its exit code), and on leaving the block every process ever
    spawned is killed if still running and its log file removed."""

    def __init__(self, dsn, **options):
        self.dsn, self.options = dsn, options
        self.live, self.everyone = [], []

    def spawn(self, name, **options):
        worker = WorkerProcess(self.dsn, name, **{**self.options, **options})
        self.live.append(worker)
        self.everyone.append(worker)
        return worker

    def stop(self):
        """([alive], [exit code]) of the live workers, which get SIGTERM."""
        alive = [w.alive() for w in self.live]
        return alive, [w.stop() for w in self.live]

    def logs(self):
        return [w.log()[-3000:] for w in self.everyone]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for w in self.everyone:
            w.cleanup()


def park_others(dsn):
    """Items an earlier scenario left due (its log is gone) would share the claims: park them
    a day ahead, so each scenario's figures are its own."""
    with connect_retrying(dsn, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() + interval '1 day' "
                   "WHERE state IN ('pending', 'failed', 'claimed')")


def submit_many(dsn, tenants, signer, log_id, n, per_item=False):
    """n envelopes spread over the tenants, as pgattest_app, in one transaction per tenant
    (per_item: one per envelope); {envelope_id: tenant}."""
    ids = {}
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.commit()
        for i, tenant in enumerate(tenants):
            for k in range(n // len(tenants) + (1 if i < n % len(tenants) else 0)):
                if k == 0 or per_item:
                    conn.execute("SELECT core.set_tenant(%s)", (tenant,))
                ids[conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)",
                                 (json.dumps(signer.envelope()), log_id)).fetchone()[0]] = tenant
                if per_item:
                    conn.commit()
            conn.commit()
    return ids


def connect_retrying(dsn, **kw):
    """A connection, retrying while the server restarts."""
    deadline = time.time() + 60
    while True:
        try:
            return psycopg.connect(dsn, connect_timeout=2, **kw)
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def states(dsn, tenants):
    """{state: items} of the tenants' queue rows, read as the superuser (retrying across restarts)."""
    for _ in range(100):
        try:
            with connect_retrying(dsn) as conn:
                return dict(conn.execute("""SELECT state, count(*) FROM attestor.rekor_submission_queue
                                             WHERE tenant_id = ANY(%s) GROUP BY state""", (tenants,)).fetchall())
        except psycopg.OperationalError:
            time.sleep(0.3)
    raise AssertionError("the database did not come back")


def wait_until(predicate, seconds, what, interval=0.2):
    """Poll predicate() every interval seconds until it holds; fail naming what after seconds."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def audit(dsn, submitted_ids, log):
    """The invariants, read from the database and the log. Returns a dict of counts:
    items, states, lost (submitted by the test, not in the queue, or stored without its
    row saying so), duplicated (envelopes with more than one entry, or entries of one
    log position), unverified (stored entries proofchain.verify_stored_entry rejects),
    untrue (stored entries whose tree size and root are not the log's), log_growth."""
    with connect_retrying(dsn, row_factory=dict_row) as conn:
        rows = conn.execute("""SELECT q.envelope_id, q.tenant_id, q.state, q.last_error, q.rekor_entry_id, q.attempts
                                 FROM attestor.rekor_submission_queue q
                                WHERE q.envelope_id = ANY(%s)""", (list(submitted_ids),)).fetchall()
        entries = conn.execute("""SELECT id, tenant_id, envelope_id, log_id, uuid, tree_size, encode(root_hash, 'hex') AS root
                                    FROM proofchain.rekor_entries WHERE envelope_id = ANY(%s)""",
                               (list(submitted_ids),)).fetchall()
        unverified = []
        for tenant in sorted({r["tenant_id"] for r in entries}):
            # Re-verification runs as the application would: its own tenant, from the database alone.
            with conn.transaction():
                conn.execute("SET LOCAL ROLE pgattest_app")
                conn.execute("SELECT core.set_tenant(%s)", (tenant,))
                unverified += conn.execute(
                    """SELECT e.id, v.result ->> 'error' AS error
                         FROM proofchain.rekor_entries e,
                              LATERAL (SELECT proofchain.verify_stored_entry(e.id) AS result) v
                        WHERE e.envelope_id = ANY(%s) AND NOT coalesce((v.result ->> 'verified')::boolean, false)""",
                    (list(submitted_ids),)).fetchall()
    by_envelope = Counter(e["envelope_id"] for e in entries)
    by_position = Counter((e["log_id"], e["uuid"]) for e in entries)
    row_of = {r["envelope_id"]: r for r in rows}
    entry_ids = {e["id"] for e in entries}
    lost = [i for i in submitted_ids if i not in row_of]
    lost += [r["envelope_id"] for r in rows if r["state"] == "submitted" and r["rekor_entry_id"] not in entry_ids]
    stored_unsubmitted = [e["envelope_id"] for e in entries if row_of.get(e["envelope_id"], {}).get("state") != "submitted"]
    roots = {}
    untrue = []
    for e in entries:
        if e["tree_size"] not in roots:
            roots[e["tree_size"]] = log.root(e["tree_size"])
        if roots[e["tree_size"]] != e["root"]:
            untrue.append(e["id"])
    return {
        "items": len(submitted_ids),
        "states": dict(Counter(r["state"] for r in rows)),
        "lost": len(lost),
        "duplicated": sum(n - 1 for n in by_envelope.values()) + sum(n - 1 for n in by_position.values()),
        "stored_unsubmitted": len(stored_unsubmitted),
        "unverified": len(unverified),
        "untrue": len(untrue),
        "entries": len(entries),
        "rows": rows,
        "details": {"lost": lost[:5], "unverified": unverified[:5], "untrue": untrue[:5]},
    }


def assert_clean(result):
    """Nothing lost, nothing twice, nothing stored that does not re-verify or is not the log's."""
    assert result["lost"] == 0, f"lost items: {result['details']}"
    assert result["duplicated"] == 0, "an envelope stored twice"
    assert result["stored_unsubmitted"] == 0, "an entry stored for an item the queue does not say is submitted"
    assert result["unverified"] == 0, f"stored entries that do not re-verify: {result['details']['unverified']}"
    assert result["untrue"] == 0, f"stored entries whose root is not the log's: {result['details']['untrue']}"
