"""Issue 21: health.check() and health.metrics(), the monitoring role, thresholds."""

import json
import secrets
import threading
import time

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest.errors import INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log


@pytest.fixture(scope="module")
def hdb(server, fresh_database):
    """A database of this module's own: the figures are database-wide."""
    from ops import cluster
    name, dsn = fresh_database(prefix="pgattest_health")
    yield dsn
    cluster.drop_database(server, name)


@pytest.fixture(scope="module")
def monitor_dsn(hdb):
    """A login that is only a pg_monitor member, as an exporter's would be."""
    login = f"exporter_{secrets.token_hex(4)}"
    with psycopg.connect(hdb, autocommit=True) as su:
        su.execute(f"CREATE ROLE {login} LOGIN IN ROLE pg_monitor")
    yield psycopg.conninfo.make_conninfo(hdb, user=login)
    with psycopg.connect(hdb, autocommit=True) as su:
        su.execute(f"DROP ROLE {login}")


def check(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT health.check()").fetchone()[0]


def metric(dsn, key, label=None):
    component, measurement = key.split(":")
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        rows = conn.execute("SELECT * FROM health.metrics() WHERE component = %s AND measurement = %s",
                            (component, measurement)).fetchall()
    return {r["label"]: r["value"] for r in rows} if label is None else next(r["value"] for r in rows if r["label"] == label)


def test_check_has_the_health_check_shape(hdb, monitor_dsn):
    report = check(monitor_dsn)
    assert report["status"] in ("pass", "warn", "fail")
    for key in ("database:responseTime", "connections:utilization", "connections:inUse", "locks:waiting",
                "transactions:oldestAge", "transactions:xminAge", "transactions:wraparoundUsed",
                "queue:depth", "queue:oldestPendingAge", "queue:dead", "vex:pendingLinks"):
        assert key in report["checks"], key
        for result in report["checks"][key]:
            assert result["status"] in ("pass", "warn", "fail")
            assert isinstance(result["observedValue"], (int, float)) and result["observedUnit"]
            assert result["time"].endswith("Z")
    assert {r["componentId"] for r in report["checks"]["transactions:xminAge"]} == \
        {"backend", "replicationSlot", "preparedTransaction"}
    worst = max((r["status"] for results in report["checks"].values() for r in results),
                key=["pass", "warn", "fail"].index)
    assert report["status"] == worst, "the top-level status is the worst check"


def test_monitor_reads_aggregates_but_no_tenant_row(hdb, monitor_dsn):
    signer = Signer()
    tenant = new_tenant(hdb, signer, "mon")
    with psycopg.connect(monitor_dsn) as conn:
        for table in ("vex.observations", "attestor.rekor_submission_queue", "proofchain.dsse_envelopes", "core.tenants"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1")
            conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT health.set_threshold('queue:dead', 1, 2)")
        conn.rollback()
        labels = [r[0] for r in conn.execute("SELECT label FROM health.metrics() WHERE label IS NOT NULL")]
        assert tenant not in labels
    for role in ("pgattest_app", "pgattest_worker"):
        with psycopg.connect(hdb) as conn:
            conn.execute(f"SET ROLE {role}")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("SELECT health.check()")


def test_queue_figures_follow_the_queue(hdb):
    signer = Signer()
    with LocalRekor(api_version="v1") as log:
        log_id = register_log(hdb, log)
        tenant = new_tenant(hdb, signer, "q")
        depth, dead = metric(hdb, "queue:depth")[None], metric(hdb, "queue:dead")[None]
        for _ in range(3):
            call(hdb, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                 (json.dumps(signer.envelope()), log_id), tenant=tenant)
        assert metric(hdb, "queue:depth")[None] == depth + 3
        with psycopg.connect(hdb, autocommit=True) as su:
            su.execute("UPDATE attestor.rekor_submission_queue SET state = 'dead', created_at = now() - interval '2 hours' "
                       "WHERE tenant_id = %s AND ctid = (SELECT min(ctid) FROM attestor.rekor_submission_queue WHERE tenant_id = %s)",
                       (tenant, tenant))
            su.execute("UPDATE attestor.rekor_submission_queue SET created_at = now() - interval '30 minutes' "
                       "WHERE tenant_id = %s AND state = 'pending'", (tenant,))
        assert metric(hdb, "queue:depth")[None] == depth + 2
        assert metric(hdb, "queue:dead")[None] == dead + 1
        assert 1800 <= metric(hdb, "queue:oldestPendingAge")[None] < 3600
        report = check(hdb)
        assert {r["status"] for r in report["checks"]["queue:dead"]} == {"warn"}, "one dead item warns by default"
        assert report["checks"]["queue:oldestPendingAge"][0]["status"] == "warn", "a half-hour-old item warns (and fails from an hour)"
        assert report["status"] in ("warn", "fail")
        # The log's checkpoint age: unknown until a checkpoint is verified, which warns.
        ages = {r["componentId"]: r for r in report["checks"]["transparencyLog:checkpointAge"]}
        assert ages[log_id]["status"] == "warn" and "observedValue" not in ages[log_id]
        with psycopg.connect(hdb, autocommit=True) as su:
            su.execute("DELETE FROM attestor.rekor_submission_queue WHERE tenant_id = %s", (tenant,))


def test_held_transaction_shows_in_xmin_and_age(hdb):
    holder = psycopg.connect(hdb)
    try:
        holder.execute("SELECT pg_current_xact_id()")  # an xid, held open
        time.sleep(1.1)
        with psycopg.connect(hdb, autocommit=True) as churn:  # some transactions pass it by
            for _ in range(20):
                churn.execute("SELECT pg_current_xact_id()")
        assert metric(hdb, "transactions:oldestAge")[None] >= 1
        assert metric(hdb, "transactions:xminAge")["backend"] >= 20
    finally:
        holder.close()
    assert metric(hdb, "transactions:oldestAge")[None] < 1


def test_waiting_locks_are_counted(hdb):
    with psycopg.connect(hdb, autocommit=True) as su:
        su.execute("CREATE TABLE IF NOT EXISTS public.health_lock_probe (x int)")
    a, b = psycopg.connect(hdb), psycopg.connect(hdb)
    try:
        a.execute("LOCK TABLE public.health_lock_probe IN ACCESS EXCLUSIVE MODE")
        t = threading.Thread(target=lambda: (b.execute("LOCK TABLE public.health_lock_probe IN ACCESS EXCLUSIVE MODE"), b.rollback()))
        t.start()
        deadline = time.time() + 10
        while metric(hdb, "locks:waiting")[None] < 1 and time.time() < deadline:
            time.sleep(0.05)
        assert metric(hdb, "locks:waiting")[None] >= 1
        a.rollback()
        t.join(10)
    finally:
        a.close()
        b.close()
        with psycopg.connect(hdb, autocommit=True) as su:
            su.execute("DROP TABLE public.health_lock_probe")


def test_admin_changes_thresholds(hdb):
    def set_threshold(key, warn, fail):
        return call(hdb, "pgattest_admin", "SELECT * FROM health.set_threshold(%s, %s, %s)", (key, warn, fail))

    row = set_threshold("connections:utilization", 0, None)
    assert row["warn_above"] == 0 and row["fail_above"] is None and row["updated_by"]
    assert {r["status"] for r in check(hdb)["checks"]["connections:utilization"]} == {"warn"}
    set_threshold("connections:utilization", 0, 0)
    report = check(hdb)
    assert report["checks"]["connections:utilization"][0]["status"] == "fail" and report["status"] == "fail"
    set_threshold("connections:utilization", 80, 95)
    assert check(hdb)["checks"]["connections:utilization"][0]["status"] == "pass"
    for bad in (("no:suchCheck", 1, 2), ("queue:dead", 5, 1), ("queue:dead", -1, 2), ("queue:dead", float("nan"), 2),
                (None, 1, 2)):
        with pytest.raises(psycopg.Error) as exc:
            set_threshold(*bad)
        assert exc.value.sqlstate == INVALID_PARAMETER, bad
    with pytest.raises(psycopg.Error) as exc:
        call(hdb, "pgattest_app", "SELECT health.set_threshold('queue:dead', 1, 2)")
    assert exc.value.sqlstate == INSUFFICIENT_PRIVILEGE


def test_exporter_queries_run_as_a_pg_monitor_login(monitor_dsn):
    """ops/monitoring/queries.yaml: the format of CloudNativePG's default-monitoring queries
    (query + one LABEL/GAUGE entry per column, in order), each query runnable by an
    exporter that is only a pg_monitor member, its columns exactly the declared ones."""
    import yaml
    from pathlib import Path
    queries = yaml.safe_load((Path(__file__).resolve().parents[1] / "ops" / "monitoring" / "queries.yaml").read_text())
    assert queries, "no queries"
    with psycopg.connect(monitor_dsn, autocommit=True) as conn:
        for name, spec in queries.items():
            assert set(spec) == {"query", "metrics"}, name
            declared = [next(iter(m)) for m in spec["metrics"]]
            for m in spec["metrics"]:
                (col, attrs), = m.items()
                assert attrs["usage"] in ("LABEL", "GAUGE", "COUNTER") and attrs["description"], (name, col)
            cur = conn.execute(spec["query"])
            assert [c.name for c in cur.description] == declared, name
            rows = cur.fetchall()
            assert rows, f"{name} returned no rows"
            gauges = [i for i, m in enumerate(spec["metrics"]) if next(iter(m.values()))["usage"] != "LABEL"]
            assert all(isinstance(r[i], float) or isinstance(r[i], int) for r in rows for i in gauges), name
