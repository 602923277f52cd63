"""Triage dashboards (issue 19): two tenants, each sees exactly its own counts, only
through the tenant-filtering functions; the views are stale until triage.refresh();
the queue figures are exact. The catalog side is tests/pgtap/triage_access.sql."""

import hashlib
import random
import uuid
from collections import Counter, defaultdict

import psycopg
import pytest

from pgattest import errors

STATUSES = ["not_affected", "affected", "fixed", "under_investigation"]


def insert_observations(su, tenant, rng, n):
    """n synthetic observations for tenant (superuser; replica mode skips the Rekor entry
    foreign key), some superseding earlier ones, some linked. Returns the rows as dicts."""
    rows = []
    su.execute("SET LOCAL session_replication_role = replica")
    for i in range(n):
        status = rng.choice(STATUSES)
        supersedes = None
        if rows and rng.random() < 0.2:
            candidates = [r for r in rows if not any(x["supersedes"] == r["id"] for x in rows)]
            supersedes = rng.choice(candidates)["id"] if candidates else None
        linked = rng.random() < 0.5
        row = {"id": uuid.uuid4(), "vulnerability_id": f"CVE-2026-{rng.randrange(6)}",
               "product_key": f"pkg:npm/p{rng.randrange(8)}@1.0.0", "status": status, "supersedes": supersedes,
               "linked": linked}
        su.execute(
            """INSERT INTO vex.observations
                   (id, tenant_id, content_id, vulnerability_id, product_key, provider, status, justification,
                    statement_text, statement, statement_timestamp, source_format, source_text, supersedes,
                    rekor_uuid, rekor_log_index, rekor_entry_id, rekor_linked_at)
               VALUES (%s, %s, %s, %s, %s, 'prov', %s, CASE WHEN %s = 'not_affected' THEN 'component_not_present' END,
                       '{}', '{}', now(), 'openvex', '{}', %s,
                       CASE WHEN %s THEN 'u' || %s END, CASE WHEN %s THEN 1 END,
                       CASE WHEN %s THEN gen_random_uuid() END, CASE WHEN %s THEN now() END)""",
            (row["id"], tenant, "sha256:" + hashlib.sha256(row["id"].bytes).hexdigest(), row["vulnerability_id"],
             row["product_key"], status, status, supersedes, linked, str(i), linked, linked, linked))
        rows.append(row)
    return rows


def expected_vex_status(rows):
    superseded = {r["supersedes"] for r in rows if r["supersedes"]}
    out = []
    for status in sorted({r["status"] for r in rows}):
        of = [r for r in rows if r["status"] == status]
        out.append((status, len(of), sum(1 for r in of if r["id"] not in superseded),
                    len({r["vulnerability_id"] for r in of}), len({r["product_key"] for r in of}),
                    sum(1 for r in of if not r["linked"])))
    return out


def expected_top(rows, dimension, max_items):
    superseded = {r["supersedes"] for r in rows if r["supersedes"]}
    key = "vulnerability_id" if dimension == "vulnerability" else "product_key"
    counts = defaultdict(Counter)
    for r in rows:
        if r["id"] not in superseded:
            counts[r[key]][r["status"]] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-(kv[1]["affected"] + kv[1]["under_investigation"]),
                                                    -sum(kv[1].values()), kv[0]))
    return [(item, c["affected"], c["under_investigation"], c["fixed"], c["not_affected"], sum(c.values()), i + 1)
            for i, (item, c) in enumerate(ranked[:max_items])]


def insert_queue(su, tenant, states):
    su.execute("SET LOCAL session_replication_role = replica")
    for state in states:
        su.execute("""INSERT INTO attestor.rekor_submission_queue
                          (tenant_id, envelope_id, log_id, state, created_at, rekor_entry_id, submitted_at)
                      VALUES (%s, gen_random_uuid(), 'triage-test-log', %s, now() - interval '1 hour',
                              CASE WHEN %s = 'submitted' THEN gen_random_uuid() END,
                              CASE WHEN %s = 'submitted' THEN now() END)""", (tenant, state, state, state))


def refresh(dsn):
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_worker")
        out = conn.execute("SELECT view_name, refreshed_at, refresh_duration FROM triage.refresh()").fetchall()
        conn.commit()
        return out


def as_app(dsn, tenant):
    conn = psycopg.connect(dsn)
    conn.execute("SET ROLE pgattest_app")
    conn.commit()
    if tenant:
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
    return conn


@pytest.fixture(scope="module")
def two_tenants(db):
    """Two tenants with different VEX observations, unknowns and queue items, refreshed."""
    rng = random.Random(19)
    tenants = {}
    with psycopg.connect(db) as su:
        for label, n_obs, queue_states, unknown_kinds in (
                ("tri-a", 60, ["pending"] * 3 + ["failed", "dead", "submitted"], (["missing_sbom"] * 3 + ["missing_feed"], ["missing_sbom"])),
                ("tri-b", 25, ["pending", "dead", "dead"], (["transitive_gap"] * 2, []))):
            tenant = f"{label}-{uuid.uuid4().hex[:8]}"
            su.execute("SELECT core.register_tenant(%s, 'triage test')", (tenant,))
            rows = insert_observations(su, tenant, rng, n_obs)
            insert_queue(su, tenant, queue_states)
            su.commit()
            tenants[tenant] = {"rows": rows, "queue": Counter(queue_states), "unknowns": unknown_kinds}
    for tenant, data in tenants.items():
        opened, resolved = data["unknowns"]
        with as_app(db, tenant) as conn:
            for kind in opened:
                uid = conn.execute("SELECT unknowns.record(%s, 'pkg:npm/x@1', 'r', '{}', now() - interval '2 days')",
                                   (kind,)).fetchone()[0]
                if kind in resolved:
                    resolved.remove(kind)
                    conn.execute("SELECT unknowns.resolve(%s, 'feed_updated', now() - interval '1 day')", (uid,))
            conn.commit()
    refresh(db)
    return tenants


def test_each_tenant_sees_exactly_its_own_counts(db, two_tenants):
    for tenant, data in two_tenants.items():
        with as_app(db, tenant) as conn:
            got = conn.execute("SELECT status, observations, current_observations, vulnerabilities, products, "
                               "pending_rekor_links FROM triage.vex_status()").fetchall()
            assert got == expected_vex_status(data["rows"])
            for dimension in ("vulnerability", "product"):
                got = conn.execute("SELECT item, affected, under_investigation, fixed, not_affected, total, rank "
                                   "FROM triage.vex_top(%s, 50)", (dimension,)).fetchall()
                assert got == expected_top(data["rows"], dimension, 50)
                assert conn.execute("SELECT count(*) FROM triage.vex_top(%s, 2)", (dimension,)).fetchone() == (2,)
            depth, oldest_at, age, dead, _ = conn.execute("SELECT * FROM triage.queue_status()").fetchone()
            q = data["queue"]
            assert (depth, dead) == (q["pending"] + q["failed"] + q["claimed"], q["dead"])
            assert age.total_seconds() >= 3600
            kinds = conn.execute("SELECT kind, open, resolved FROM triage.unknowns_by_kind()").fetchall()
            assert kinds == {"tri-a": [("missing_sbom", 2, 1), ("missing_feed", 1, 0)],
                             "tri-b": [("transitive_gap", 2, 0)]}[tenant[:5]]
            refreshed = conn.execute("SELECT DISTINCT refreshed_at FROM triage.vex_status()").fetchall()
            assert len(refreshed) == 1 and refreshed[0][0] is not None
            conn.rollback()


def test_dashboards_are_stale_until_refreshed_and_refresh_reports_each_view(db, two_tenants):
    tenant = next(iter(two_tenants))
    with as_app(db, tenant) as conn:
        before = conn.execute("SELECT status, observations, refreshed_at FROM triage.vex_status()").fetchall()
        conn.rollback()
    with psycopg.connect(db) as su:
        extra = insert_observations(su, tenant, random.Random(1), 1)
        su.commit()
    with as_app(db, tenant) as conn:
        assert conn.execute("SELECT status, observations, refreshed_at FROM triage.vex_status()").fetchall() == before
        conn.rollback()
    reported = refresh(db)
    with psycopg.connect(db) as su:
        registered = [r[0] for r in su.execute("SELECT view_name FROM _pgattest.triage_views ORDER BY 1")]
    assert [r[0] for r in reported] == registered and len(registered) >= 3
    assert all(r[2].total_seconds() > 0 for r in reported)
    with as_app(db, tenant) as conn:
        after = {r[0]: r for r in conn.execute("SELECT status, observations, refreshed_at FROM triage.vex_status()")}
        status = extra[0]["status"]
        old = {r[0]: r for r in before}
        assert after[status][1] == (old[status][1] if status in old else 0) + 1
        assert after[status][2] > before[0][2]
        fresh = conn.execute("SELECT view_name, refreshed_at, refresh_duration FROM triage.freshness()").fetchall()
        assert fresh == reported
        conn.rollback()
    two_tenants[tenant]["rows"] += extra


def test_no_client_role_reads_a_summary_or_its_sources(db, two_tenants):
    with psycopg.connect(db) as su:
        summaries = [r[0] for r in su.execute(
            "SELECT oid::regclass::text FROM pg_class WHERE relkind = 'm' AND relnamespace = '_pgattest'::regnamespace")]
        summaries.append("_pgattest.triage_views")
        sources = [r[0] for r in su.execute(
            """SELECT oid::regprocedure::text FROM pg_proc
                WHERE pronamespace = '_pgattest'::regnamespace AND proname LIKE 'triage\\_%'""")]
    assert len(summaries) >= 4 and len(sources) >= 3
    tenant = next(iter(two_tenants))
    for role in ("pgattest_app", "pgattest_worker", "pgattest_admin"):
        with psycopg.connect(db) as conn:
            for name in summaries:
                conn.execute(f"SET ROLE {role}")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(f"SELECT * FROM {name}")
                conn.rollback()
            for fn in sources:
                conn.execute(f"SET ROLE {role}")
                call = fn.replace("integer", "50")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(f"SELECT * FROM {call}")
                conn.rollback()
    with as_app(db, tenant) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM triage.refresh()")


def test_failure_paths(db, two_tenants):
    tenant = next(iter(two_tenants))
    with as_app(db, None) as conn:
        for sql in ("SELECT * FROM triage.vex_status()", "SELECT * FROM triage.vex_top()",
                    "SELECT * FROM triage.unknowns_by_kind()", "SELECT * FROM triage.queue_status()"):
            with pytest.raises(psycopg.Error) as exc:
                conn.execute(sql)
            assert exc.value.sqlstate == errors.INSUFFICIENT_PRIVILEGE, sql
            conn.rollback()
        for args, sqlstate in (((None, 5), errors.NULL_NOT_ALLOWED), (("vulnerability", None), errors.NULL_NOT_ALLOWED),
                               (("provider", 5), errors.INVALID_PARAMETER), (("product", 0), errors.INVALID_PARAMETER),
                               (("product", 51), errors.INVALID_PARAMETER)):
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            with pytest.raises(psycopg.Error) as exc:
                conn.execute("SELECT * FROM triage.vex_top(%s, %s)", args)
            assert exc.value.sqlstate == sqlstate, args
            conn.rollback()


def test_queue_figures_are_exact_within_the_transaction(db, two_tenants):
    tenant = next(iter(two_tenants))
    with psycopg.connect(db) as conn:
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.execute("SET LOCAL ROLE pgattest_app")
        depth, _, _, dead, _ = conn.execute("SELECT * FROM triage.queue_status()").fetchone()
        conn.execute("RESET ROLE")
        insert_queue(conn, tenant, ["pending", "pending", "dead"])
        conn.execute("SET LOCAL ROLE pgattest_app")
        now = conn.execute("SELECT depth, dead FROM triage.queue_status()").fetchone()
        assert now == (depth + 2, dead + 1), "queue_status must count this transaction's own items, unrefreshed"
        conn.rollback()
