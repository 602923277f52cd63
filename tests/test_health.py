"""Issue 21: health.check() and health.metrics(), the monitoring role, thresholds."""

import json
import secrets
import threading
import time

import psycopg
import pytest
from psycopg.sql import SQL, Identifier, Literal
from psycopg.rows import dict_row

from pgattest.errors import INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log, submit_to_log


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
                "queue:depth", "queue:oldestPendingAge", "queue:dead", "vex:pendingLinks",
                "ledger:anchorAge", "ledger:tenantsBehind", "triage:staleness", "watchlist:scanLag",
                "watchlist:undeliveredAlerts", "audit:partitionsAhead"):
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


# --- the checks of the modules that landed after health -----------------------------------

def statuses(report, key):
    """{componentId (None when the figure has no label): status} of one check."""
    return {r.get("componentId"): r["status"] for r in report["checks"][key]}


def superuser(dsn, sql, params=(), replica=False):
    """One statement as the superuser; replica=True first disables triggers (the ledger's
    append-only ones), to age rows the way time would."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        if replica:
            conn.execute("SET session_replication_role = replica")
        conn.execute(sql, params)


def append(dsn, tenant, n):
    for i in range(n):
        call(dsn, "pgattest_app", "SELECT seq FROM verdict.append(%s, 'pass', %s)",
             ("sha256:" + secrets.token_hex(32), f"health {i}"), tenant=tenant)


def test_ledger_anchor_age_warns_then_fails_for_old_unanchored_entries(hdb):
    tenant = new_tenant(hdb, Signer(), "ledger")
    before = check(hdb)
    assert statuses(before, "ledger:anchorAge") == {None: "pass"}
    append(hdb, tenant, 2)
    assert metric(hdb, "ledger:anchorAge")[None] < 60, "a fresh entry has waited seconds"
    report = check(hdb)
    assert statuses(report, "ledger:anchorAge") == {None: "pass"}
    assert metric(hdb, "ledger:tenantsBehind") == {"warn": 0, "fail": 0}
    # Never anchored, its first entry two days old: past the daily job's 26 hours, not yet 72.
    superuser(hdb, "UPDATE verdict.ledger_entries SET recorded_at = now() - interval '2 days' "
                   "WHERE tenant_id = %s AND seq = 1", (tenant,), replica=True)
    assert 172800 <= metric(hdb, "ledger:anchorAge")[None] < 172900
    assert statuses(check(hdb), "ledger:anchorAge") == {None: "warn"}
    assert metric(hdb, "ledger:tenantsBehind") == {"warn": 1, "fail": 0}
    superuser(hdb, "UPDATE verdict.ledger_entries SET recorded_at = now() - interval '4 days' "
                   "WHERE tenant_id = %s AND seq = 1", (tenant,), replica=True)
    report = check(hdb)
    assert statuses(report, "ledger:anchorAge") == {None: "fail"} and report["status"] == "fail"
    assert metric(hdb, "ledger:tenantsBehind") == {"warn": 1, "fail": 1}
    # Anchored (a week ago) up to its head: nothing waits, whatever the anchor's age. The
    # anchor row is written as the completion trigger would, its references not checked.
    superuser(hdb, """INSERT INTO verdict.anchors (tenant_id, tree_size, root_hash, checkpoint, envelope_id,
                                                   rekor_entry_id, anchored_at)
                      VALUES (%s, 2, %s, 'checkpoint', gen_random_uuid(), gen_random_uuid(), now() - interval '7 days')""",
              (tenant, secrets.token_bytes(32)), replica=True)
    assert metric(hdb, "ledger:anchorAge")[None] == 0
    assert statuses(check(hdb), "ledger:anchorAge") == {None: "pass"}
    # An entry appended after a week-old anchor has waited seconds, not a week.
    append(hdb, tenant, 1)
    assert metric(hdb, "ledger:anchorAge")[None] < 60
    assert statuses(check(hdb), "ledger:anchorAge") == {None: "pass"}
    superuser(hdb, """INSERT INTO verdict.anchors (tenant_id, tree_size, root_hash, checkpoint, envelope_id,
                                                   rekor_entry_id, anchored_at)
                      VALUES (%s, 3, %s, 'checkpoint', gen_random_uuid(), gen_random_uuid(), now())""",
              (tenant, secrets.token_bytes(32)), replica=True)


def test_triage_view_staleness_warns_then_fails_per_view(hdb):
    call(hdb, "pgattest_worker", "SELECT count(*) AS n FROM triage.refresh()")
    views = [r["view_name"] for r in call(hdb, "pgattest_admin", "SELECT view_name FROM triage.freshness()", fetch="all")]
    assert len(views) >= 3
    report = check(hdb)
    assert statuses(report, "triage:staleness") == {v: "pass" for v in views}
    stale = views[0]
    superuser(hdb, "UPDATE _pgattest.triage_views SET refreshed_at = now() - interval '20 minutes' WHERE view_name = %s",
              (stale,))
    assert 1200 <= metric(hdb, "triage:staleness", stale) < 1300
    assert statuses(check(hdb), "triage:staleness") == {v: "warn" if v == stale else "pass" for v in views}
    superuser(hdb, "UPDATE _pgattest.triage_views SET refreshed_at = now() - interval '2 hours' WHERE view_name = %s",
              (stale,))
    report = check(hdb)
    assert statuses(report, "triage:staleness")[stale] == "fail" and report["status"] == "fail"
    call(hdb, "pgattest_worker", "SELECT count(*) AS n FROM triage.refresh()")
    assert statuses(check(hdb), "triage:staleness") == {v: "pass" for v in views}


def test_watchlist_scan_lag_is_the_oldest_alert_nobody_took_or_acknowledged(hdb):
    from tests.support.watchlist_helpers import Store, bundle_bodies
    tenant = new_tenant(hdb, Signer(), "watch")
    call(hdb, "pgattest_app", "SELECT rule_id FROM watchlist.upsert_rule('email', 'exact', 'critical', san_pattern => 'a@tny.town')",
         tenant=tenant)
    assert metric(hdb, "watchlist:scanLag")[None] == 0 and metric(hdb, "watchlist:undeliveredAlerts")[None] == 0
    with psycopg.connect(hdb, autocommit=True) as su:
        Store(su).entries(tenant, [bundle_bodies()["bundle.txt.sigstore"]])   # signed by a@tny.town: an alert
    assert metric(hdb, "watchlist:undeliveredAlerts")[None] == 1
    assert metric(hdb, "watchlist:scanLag")[None] < 60
    report = check(hdb)
    assert statuses(report, "watchlist:scanLag") == {None: "pass"}
    assert statuses(report, "watchlist:undeliveredAlerts") == {None: "pass"}
    superuser(hdb, "UPDATE watchlist.alert_outbox SET created_at = now() - interval '10 minutes' WHERE tenant_id = %s",
              (tenant,))
    assert 600 <= metric(hdb, "watchlist:scanLag")[None] < 700
    assert statuses(check(hdb), "watchlist:scanLag") == {None: "warn"}
    superuser(hdb, "UPDATE watchlist.alert_outbox SET created_at = now() - interval '2 hours' WHERE tenant_id = %s",
              (tenant,))
    report = check(hdb)
    assert statuses(report, "watchlist:scanLag") == {None: "fail"} and report["status"] == "fail"
    # The count's bounds, made small: one waiting alert warns at 1, fails at 1.
    admin = "SELECT warn_above FROM health.set_threshold('watchlist:undeliveredAlerts', %s, %s)"
    call(hdb, "pgattest_admin", admin, (1, 2))
    assert statuses(check(hdb), "watchlist:undeliveredAlerts") == {None: "warn"}
    call(hdb, "pgattest_admin", admin, (1, 1))
    assert statuses(check(hdb), "watchlist:undeliveredAlerts") == {None: "fail"}
    call(hdb, "pgattest_admin", admin, (1000, 10000))
    # Seen (acknowledged through the alert list) is no longer waiting, even if no consumer drained it.
    alert = call(hdb, "pgattest_app", "SELECT id FROM watchlist.list_alerts()", tenant=tenant)
    call(hdb, "pgattest_app", "SELECT watchlist.acknowledge_alert(%s) AS at", (alert,), tenant=tenant)
    assert metric(hdb, "watchlist:scanLag")[None] == 0 and metric(hdb, "watchlist:undeliveredAlerts")[None] == 0
    assert statuses(check(hdb), "watchlist:scanLag") == {None: "pass"}
    # A consumer that drains the outbox delivers: a second rule's new alert, old, then taken.
    call(hdb, "pgattest_app", "SELECT rule_id FROM watchlist.upsert_rule('email too', 'exact', 'info', san_pattern => 'a@tny.town')",
         tenant=tenant)
    with psycopg.connect(hdb, autocommit=True) as su:
        Store(su).entries(tenant, [bundle_bodies()["bundle.txt.sigstore"]])   # rule 'email': an occurrence; 'email too': an alert
    assert metric(hdb, "watchlist:undeliveredAlerts")[None] == 1
    superuser(hdb, "UPDATE watchlist.alert_outbox SET created_at = now() - interval '2 hours' WHERE tenant_id = %s",
              (tenant,))
    assert statuses(check(hdb), "watchlist:scanLag") == {None: "fail"}
    # (The consumer also takes the acknowledged alert's row: it was never drained.)
    assert call(hdb, "pgattest_app", "SELECT count(*) AS n FROM watchlist.drain_outbox(100)", tenant=tenant) == 2
    assert metric(hdb, "watchlist:undeliveredAlerts")[None] == 0
    assert statuses(check(hdb), "watchlist:scanLag") == {None: "pass"}


def grow(log, signer, n=2):
    for _ in range(n):
        submit_to_log(log, signer.envelope(), signer.pem)


def checkpointed_log(dsn, log, signer):
    """Registers the mock log, grows it and stores its checkpoint: (log id, its size)."""
    log_id = register_log(dsn, log)
    grow(log, signer)
    call(dsn, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s) AS id", (log_id, log.checkpoint()))
    return log_id, log.size


def test_last_consistency_failure_fails_then_warns_then_is_history(hdb):
    signer = Signer()
    with LocalRekor(api_version="v1") as log:
        log_id, base = checkpointed_log(hdb, log, signer)
        report = check(hdb)
        assert statuses(report, "transparencyLog:lastConsistencyFailureAge")[log_id] == "pass", "no failure: pass"
        assert metric(hdb, "transparencyLog:lastConsistencyFailureAge", log_id) is None
        grow(log, signer)
        # A consistency proof that fails (fabricated): kept as inconclusive evidence.
        fabricated = [bytes(32)] * len(log.consistency_proof(base, log.size))
        call(hdb, "pgattest_worker", "SELECT attestor.record_split_view(%s, %s, %s::bytea[]) AS id",
             (log_id, log.checkpoint(), fabricated))
        assert metric(hdb, "transparencyLog:lastConsistencyFailureAge", log_id) < 60
        report = check(hdb)
        assert statuses(report, "transparencyLog:lastConsistencyFailureAge")[log_id] == "fail"
        assert report["status"] == "fail"
        superuser(hdb, "UPDATE attestor.split_views SET detected_at = now() - interval '3 days' WHERE log_id = %s", (log_id,))
        assert 259200 <= metric(hdb, "transparencyLog:lastConsistencyFailureAge", log_id) < 259300
        assert statuses(check(hdb), "transparencyLog:lastConsistencyFailureAge")[log_id] == "warn"
        superuser(hdb, "UPDATE attestor.split_views SET detected_at = now() - interval '8 days' WHERE log_id = %s", (log_id,))
        assert statuses(check(hdb), "transparencyLog:lastConsistencyFailureAge")[log_id] == "pass"
        # Lower is worse: an admin sets the bounds with warn at least fail, and not the other way.
        set_threshold = "SELECT fail_above FROM health.set_threshold('transparencyLog:lastConsistencyFailureAge', %s, %s)"
        call(hdb, "pgattest_admin", set_threshold, (30 * 86400, 10 * 86400))
        assert statuses(check(hdb), "transparencyLog:lastConsistencyFailureAge")[log_id] == "fail"
        with pytest.raises(psycopg.Error) as exc:
            call(hdb, "pgattest_admin", set_threshold, (86400, 604800))
        assert exc.value.sqlstate == INVALID_PARAMETER and "lower is worse" in exc.value.diag.message_hint.lower()
        call(hdb, "pgattest_admin", set_threshold, (604800, 86400))


def test_new_figures_name_no_tenant_and_the_monitor_reads_none_of_their_rows(hdb, monitor_dsn):
    tenant = new_tenant(hdb, Signer(), "nosy")
    append(hdb, tenant, 1)
    with psycopg.connect(monitor_dsn) as conn:
        rows = conn.execute("SELECT component, measurement, label FROM health.metrics()").fetchall()
        keys = {f"{c}:{m}" for c, m, _ in rows}
        assert {"ledger:anchorAge", "ledger:tenantsBehind", "triage:staleness", "watchlist:scanLag",
                "watchlist:undeliveredAlerts", "audit:partitionsAhead"} <= keys
        assert all(tenant not in (label or "") for _, _, label in rows)
        assert tenant not in json.dumps(conn.execute("SELECT health.check()").fetchone()[0])
        for table in ("verdict.ledger_entries", "verdict.anchors", "watchlist.alerts", "watchlist.alert_outbox",
                      "watchlist.identities", "_pgattest.triage_views", "_pgattest.triage_vex_status",
                      "attestor.split_views"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1")
            conn.rollback()
        for function in ("verdict.anchor_ages()", "triage.freshness()", "watchlist.list_alerts()"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {function}")
            conn.rollback()


# --- audit partitions ahead, split views still freezing a log -----------------------------

def set_partitions(dsn, *ranges):
    """Replace audit.events' partitions by ones spanning the given (from, to) offsets from
    now, in days, as a lapsed or misconfigured maintenance would leave them."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        for (name,) in conn.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                    "WHERE i.inhparent = 'audit.events'::regclass").fetchall():
            conn.execute(SQL("DROP TABLE audit.{}").format(Identifier(name)))
        start = conn.execute("SELECT now()").fetchone()[0]   # one now: adjacent ranges meet exactly
        for i, (lo, hi) in enumerate(ranges):
            bounds = conn.execute("SELECT %s + %s * interval '1 day', %s + %s * interval '1 day'",
                                  (start, lo, start, hi)).fetchone()
            conn.execute(SQL("CREATE TABLE audit.{} PARTITION OF audit.events FOR VALUES FROM ({}) TO ({})")
                         .format(Identifier(f"events_test{i}"), *map(Literal, bounds)))


def test_audit_partitions_ahead_warn_then_fail_and_none_for_now_fails(fresh_db, monitor_dsn):
    _, dsn = fresh_db()
    ahead = lambda: metric(dsn, "audit:partitionsAhead")[None]  # noqa: E731
    status = lambda: statuses(check(dsn), "audit:partitionsAhead")[None]  # noqa: E731
    # As deployed: the current month and 3 ahead, to the start of the fourth month from now.
    with psycopg.connect(dsn) as conn:
        expected = conn.execute("""SELECT extract(epoch FROM (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '4 months')
                                                             AT TIME ZONE 'UTC' - now()) / 86400""").fetchone()[0]
    assert abs(ahead() - float(expected)) < 0.01 and 89 < ahead() < 124
    assert status() == "pass"
    # Read back whatever the caller's date style and zone: India's IST is Israel's in the
    # default abbreviations, so the bounds' text in the Postgres style would read 3.5 hours off.
    with psycopg.connect(dsn) as conn:
        conn.execute("SET datestyle = 'Postgres, DMY'; SET timezone = 'Asia/Kolkata'")
        styled = conn.execute("SELECT value FROM health.metrics() WHERE component = 'audit' "
                              "AND measurement = 'partitionsAhead'").fetchone()[0]
    assert abs(styled - ahead()) < 0.001
    set_partitions(dsn, (-1, 60))
    assert 59.99 < ahead() <= 60 and status() == "pass"
    set_partitions(dsn, (-1, 10), (10, 30))           # contiguous: they add up
    assert 29.99 < ahead() <= 30 and status() == "warn"
    set_partitions(dsn, (-1, 10), (11, 300))          # a gap ends the coverage
    assert 9.99 < ahead() <= 10 and status() == "warn"
    set_partitions(dsn, (-40, -1), (-1, 3), (3.5, 300))
    assert 2.99 < ahead() <= 3
    report = check(dsn)
    assert statuses(report, "audit:partitionsAhead") == {None: "fail"} and report["status"] == "fail"
    # None for now: 0, fail, and indeed every audited write fails.
    tenant = new_tenant(dsn, Signer(), "audit")
    set_partitions(dsn, (-40, -1), (1, 300))
    assert ahead() == 0 and status() == "fail"
    with pytest.raises(psycopg.Error) as exc:
        append(dsn, tenant, 1)
    assert "no partition" in str(exc.value)
    # The maintenance round (the worker's, or pg_cron's) puts it right.
    set_partitions(dsn)
    assert ahead() == 0
    call(dsn, "pgattest_worker", "SELECT count(*) AS n FROM audit.maintain_partitions()")
    assert abs(ahead() - float(expected)) < 0.01 and status() == "pass"
    append(dsn, tenant, 1)
    # An admin may tighten it; lower is worse, so warn at least fail.
    call(dsn, "pgattest_admin", "SELECT fail_above FROM health.set_threshold('audit:partitionsAhead', %s, %s)", (150, 130))
    assert status() == "fail"
    exporter = psycopg.conninfo.make_conninfo(dsn, user=psycopg.conninfo.conninfo_to_dict(monitor_dsn)["user"])
    assert statuses(check(exporter), "audit:partitionsAhead") == {None: "fail"}


def test_split_views_fail_until_lifted_and_records_only_report(hdb):
    signer = Signer()
    with LocalRekor(api_version="v1") as log:
        log_id, base = checkpointed_log(hdb, log, signer)
        grow(log, signer)
        genuine = log.checkpoint()
        assert metric(hdb, "transparencyLog:splitViews", log_id) == 0
        assert statuses(check(hdb), "transparencyLog:splitViews")[log_id] == "pass"
        # A failed consistency proof freezes nothing: a record, not a split view.
        fabricated = [bytes(32)] * len(log.consistency_proof(base, log.size))
        call(hdb, "pgattest_worker", "SELECT attestor.record_split_view(%s, %s, %s::bytea[]) AS id",
             (log_id, genuine, fabricated))
        assert metric(hdb, "transparencyLog:splitViews", log_id) == 0
        assert metric(hdb, "transparencyLog:splitViewRecords", log_id) == 1
        assert statuses(check(hdb), "transparencyLog:splitViews")[log_id] == "pass"
        call(hdb, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s, %s::bytea[]) AS id",
             (log_id, genuine, log.consistency_proof(base, log.size)))
        # Two roots signed for one size: the log freezes, the check fails.
        forked = log.sign_checkpoint(log.size, bytes(32))
        call(hdb, "pgattest_worker", "SELECT attestor.record_split_view(%s, %s) AS id", (log_id, forked))
        assert metric(hdb, "transparencyLog:splitViews", log_id) == 1
        report = check(hdb)
        assert statuses(report, "transparencyLog:splitViews")[log_id] == "fail" and report["status"] == "fail"
        # Lifted by an admin: no longer freezing, so it passes; the evidence stays, counted.
        call(hdb, "pgattest_admin", "SELECT attestor.lift_split_view(%s, %s) AS done", (log_id, "operator confirmed a test fork"))
        assert metric(hdb, "transparencyLog:splitViews", log_id) == 0
        assert statuses(check(hdb), "transparencyLog:splitViews")[log_id] == "pass"
        assert metric(hdb, "transparencyLog:splitViewRecords", log_id) == 2
        with psycopg.connect(hdb) as conn:
            assert conn.execute("SELECT count(*) FROM health.thresholds "
                                "WHERE check_key = 'transparencyLog:splitViewRecords'").fetchone()[0] == 0
        assert statuses(check(hdb), "transparencyLog:splitViewRecords")[log_id] == "pass", "reported only"
        # A log frozen without unlifted evidence (set by hand) still fails: the freeze is the point.
        superuser(hdb, "UPDATE attestor.transparency_logs SET split_view_at = now() WHERE log_id = %s", (log_id,))
        assert metric(hdb, "transparencyLog:splitViews", log_id) == 1
        assert statuses(check(hdb), "transparencyLog:splitViews")[log_id] == "fail"
        superuser(hdb, "UPDATE attestor.transparency_logs SET split_view_at = NULL WHERE log_id = %s", (log_id,))
