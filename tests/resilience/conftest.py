"""The resilience suite's private PostgreSQL: one throwaway cluster for the whole session.

The scenarios restart PostgreSQL (fast and immediate shutdowns), crash-test PL/Python and
revert the plan, so they never run on the shared test server: this fixture starts a
cluster of its own (ops.cluster.EmbeddedCluster under a temporary folder, on a free port,
owned by the `pgattest` system user when run as root, since initdb refuses root) and
deploys the plan into one database there with sqitch. It is stopped and deleted at the
end of the session. Every scenario prints one `[resilience] NAME: ...` line with its
counts; they are also appended to bench/results/resilience.txt (PGATTEST_RESILIENCE_RESULTS
to put them elsewhere)."""

import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from ops import cluster

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("PGATTEST_RESILIENCE_RESULTS", ROOT / "bench" / "results" / "resilience.txt"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCluster:
    """A started EmbeddedCluster in a temporary folder, with restart and log helpers."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="pgattest-resilience-", dir="/var/tmp"))
        os.chmod(self.root, 0o755)  # the cluster user must traverse it
        self.pg = cluster.EmbeddedCluster(root=self.root, port=free_port())
        self.admin = self.pg.ensure()
        self.dbname, self.dsn = cluster.fresh_database(self.admin, prefix="resilience")

    @property
    def logfile(self):
        return self.pg.logfile

    def log_offset(self):
        return self.logfile.stat().st_size if self.logfile.exists() else 0

    def log_since(self, offset):
        with open(self.logfile, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")

    def restart(self, mode):
        """pg_ctl restart with the given shutdown mode (fast: clients disconnected, checkpoint;
        immediate: every process killed, crash recovery at start)."""
        cluster.run([cluster.PG_BIN / "pg_ctl", "-D", self.pg.data, "-m", mode, "-w", "-t", "120", "restart",
                     "-l", self.logfile], user=self.pg.user)

    def wait_ready(self, seconds=60):
        deadline = time.time() + seconds
        while True:
            try:
                with psycopg.connect(self.dsn, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)

    def close(self):
        try:
            self.pg.stop()
        finally:
            shutil.rmtree(self.pg.base, ignore_errors=True)
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def private_pg():
    """The session's private cluster, with the plan deployed into `private_pg.dsn`."""
    if not (cluster.PG_BIN / "initdb").exists():
        pytest.skip("no PostgreSQL 15 binaries (./pgattest setup)")
    pg = PrivateCluster()
    try:
        yield pg
    finally:
        if not os.environ.get("PGATTEST_KEEP_DB"):
            pg.close()


@pytest.fixture(scope="session")
def record():
    """record(name, **counts): print the scenario's summary line and append it to the results file."""
    def write(name, **counts):
        line = f"[resilience] {name}: " + " ".join(f"{k}={v}" for k, v in counts.items())
        print("\n" + line)
        SUMMARY.append(line)
        try:
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            with open(RESULTS, "a") as fh:
                fh.write(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line + "\n")
        except OSError:
            pass  # a read-only checkout still gets the printed line
        return line
    return write


SUMMARY = []


def pytest_terminal_summary(terminalreporter):
    """The scenarios' count lines, shown even when output is captured."""
    if SUMMARY:
        terminalreporter.section("resilience counts")
        for line in SUMMARY:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items):
    """The resilience scenarios run after every other test (their private cluster lives only
    while they run), and the revert scenario last of them (the database is reverted and
    deployed again under it)."""
    def key(item):
        here = Path(str(item.fspath)).parent == Path(__file__).parent
        return (here, here and Path(str(item.fspath)).name == "test_revert_deploy.py")
    items.sort(key=key)
