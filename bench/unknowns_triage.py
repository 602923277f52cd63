"""Benchmark: bitemporal unknowns and the triage dashboards (issue 19).

    ./pgattest bench unknowns_triage [--unknowns N] [--versions V] [--observations M] [--rounds R]

Unknowns: N unknowns (default 10,000) for one tenant, each written V times (default 100,
so 1,000,000 versions): one insert, then V - 1 rounds that each update every unknown in
its own transaction (periods moves each replaced row to unknowns.unknowns_history; every
tenth round also moves valid_from, so the valid periods change too). Then, as
pgattest_app over one connection, R calls each of
  as_of now        unknowns.as_of(now(), NULL, id), random ids (target < 2 ms);
  point            unknowns.as_of(valid_at, known_at, id), random past valid and system
                   times (target < 2 ms);
  snapshot         count(*) of unknowns.as_of(valid_at, known_at), the whole tenant as
                   known at a random past round (target < 60 ms; R / 5 calls).
Triage: M VEX observations (default 1,000,000; 10% superseding the previous one, 1%
without a Rekor link) and 100,000 queue items for the tenant, then triage.refresh() as
pgattest_worker twice (each view's duration of the second, warm run), then R dashboard
reads as pgattest_app: triage.vex_status(), vex_top for vulnerabilities and products,
unknowns_by_kind(), queue_status() and freshness(), each timed (target p99 < 5 ms), and
the six together. The baseline in the same run is SELECT 1 over the same connection.

Synthetic VEX and queue rows are loaded with session_replication_role = replica (no
Rekor entries or envelopes behind them): what is measured is the refresh and the reads
at this size; tests/test_triage.py covers the figures' correctness. The machine is
shared: the load average is printed before and after.
"""

import argparse
import os
import random
import statistics
import time
from datetime import datetime, timedelta, timezone

from _common import cluster, fresh_deployed_database, machine

import psycopg
from psycopg.types.string import TextLoader

TENANT = "bench-unknowns"
DAY0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def timed(conn, sql, params_fn, rounds):
    samples = []
    for _ in range(rounds):
        params = params_fn()
        t0 = time.perf_counter()
        conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def load_unknowns(dsn, n, versions):
    """Returns the transaction timestamp of every round (known_at values to ask about)."""
    rounds = []
    with psycopg.connect(dsn) as owner:
        owner.execute("SET ROLE pgattest_owner")
        owner.commit()
        t0 = time.perf_counter()
        owner.execute("SELECT core.set_tenant(%s)", (TENANT,))
        owner.execute("""
            INSERT INTO unknowns.unknowns (id, valid_from, kind, subject, reason, details)
            SELECT md5('u' || g)::uuid, %(day0)s + (g %% 30) * interval '1 day',
                   (ARRAY['missing_sbom', 'ambiguous_package', 'missing_feed', 'unresolved_edge', 'no_version_info',
                          'unknown_ecosystem', 'partial_match', 'version_range_unbounded', 'unsupported_format',
                          'transitive_gap'])[1 + g %% 10],
                   'pkg:npm/p' || g || '@1.0.0', 'round 0', jsonb_build_object('round', 0)
              FROM generate_series(1, %(n)s) AS g""", {"day0": DAY0, "n": n})
        rounds.append(owner.execute("SELECT transaction_timestamp()").fetchone()[0])
        owner.commit()
        for r in range(1, versions):
            owner.execute("SELECT core.set_tenant(%s)", (TENANT,))
            if r % 10 == 0:
                owner.execute("UPDATE unknowns.unknowns SET reason = %s, details = jsonb_build_object('round', %s::int), "
                              "valid_from = valid_from + interval '1 hour'", (f"round {r}", r))
            elif r % 25 == 0:
                owner.execute("UPDATE unknowns.unknowns SET reason = %s, resolution = CASE WHEN resolution IS NULL "
                              "AND kind IN ('missing_feed', 'missing_sbom') THEN 'feed_updated' END", (f"round {r}",))
            else:
                owner.execute("UPDATE unknowns.unknowns SET reason = %s, details = jsonb_build_object('round', %s::int)",
                              (f"round {r}", r))
            rounds.append(owner.execute("SELECT transaction_timestamp()").fetchone()[0])
            owner.commit()
        print(f"loaded {n:,} unknowns x {versions} versions in {time.perf_counter() - t0:.1f} s")
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("VACUUM ANALYZE unknowns.unknowns")
        su.execute("VACUUM ANALYZE unknowns.unknowns_history")
        counts = su.execute("SELECT (SELECT count(*) FROM unknowns.unknowns), "
                            "(SELECT count(*) FROM unknowns.unknowns_history)").fetchone()
        print(f"current rows {counts[0]:,}, history rows {counts[1]:,} ({counts[0] + counts[1]:,} versions)")
    return rounds


def load_vex_and_queue(dsn, m):
    with psycopg.connect(dsn, autocommit=True) as su:
        t0 = time.perf_counter()
        su.execute("SET session_replication_role = replica")
        su.execute("""
            INSERT INTO vex.observations
                   (id, tenant_id, created_at, content_id, vulnerability_id, product_key, provider, status,
                    justification, statement_text, statement, statement_timestamp, source_format, source_text,
                    supersedes, rekor_uuid, rekor_log_index, rekor_entry_id, rekor_linked_at)
            SELECT md5('o' || g)::uuid, %(t)s, now() - (%(m)s - g) * interval '1 millisecond',
                   'sha256:' || encode(sha256(g::text::bytea), 'hex'), 'CVE-2026-' || (10000 + g %% 5000),
                   'pkg:npm/p' || (g %% 20000) || '@1.0.0', 'provider' || (g %% 7),
                   (ARRAY['not_affected', 'affected', 'fixed', 'under_investigation'])[1 + g %% 4],
                   CASE WHEN g %% 4 = 0 THEN 'component_not_present' END, '{}', '{}', now(), 'openvex', '{}',
                   CASE WHEN g %% 10 = 0 THEN md5('o' || (g - 1))::uuid END,
                   CASE WHEN g %% 100 <> 0 THEN encode(sha256(('e' || g / 3)::bytea), 'hex') END,
                   CASE WHEN g %% 100 <> 0 THEN g / 3 END,
                   CASE WHEN g %% 100 <> 0 THEN md5('e' || g / 3)::uuid END,
                   CASE WHEN g %% 100 <> 0 THEN now() END
              FROM generate_series(1, %(m)s) AS g""", {"t": TENANT, "m": m})
        su.execute("""
            INSERT INTO attestor.rekor_submission_queue
                   (tenant_id, created_at, envelope_id, log_id, state, rekor_entry_id, submitted_at)
            SELECT %(t)s, now() - g * interval '1 second', md5('q' || g)::uuid, 'bench-log',
                   CASE WHEN g %% 100 = 0 THEN 'pending' WHEN g %% 1000 = 1 THEN 'dead' ELSE 'submitted' END,
                   CASE WHEN g %% 100 <> 0 AND g %% 1000 <> 1 THEN md5('r' || g)::uuid END,
                   CASE WHEN g %% 100 <> 0 AND g %% 1000 <> 1 THEN now() END
              FROM generate_series(1, 100000) AS g""", {"t": TENANT})
        su.execute("SET session_replication_role = DEFAULT")
        su.execute("VACUUM ANALYZE vex.observations")
        su.execute("VACUUM ANALYZE attestor.rekor_submission_queue")
        print(f"loaded {m:,} VEX observations and 100,000 queue items in {time.perf_counter() - t0:.1f} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unknowns", type=int, default=10_000)
    ap.add_argument("--versions", type=int, default=100)
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=500)
    args = ap.parse_args()
    print(f"machine: {machine()}; {load()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench_unknowns")
    try:
        with psycopg.connect(dsn, autocommit=True) as su:
            su.execute("SELECT core.register_tenant(%s, 'unknowns and triage benchmark')", (TENANT,))
        rounds_at = load_unknowns(dsn, args.unknowns, args.versions)
        load_vex_and_queue(dsn, args.observations)

        with psycopg.connect(dsn) as worker:
            worker.execute("SET ROLE pgattest_worker")
            for run in ("cold", "warm"):
                t0 = time.perf_counter()
                refreshed = worker.execute("SELECT view_name, refresh_duration FROM triage.refresh()").fetchall()
                worker.commit()
                total = time.perf_counter() - t0
                print(f"\ntriage.refresh() ({run} run, {total:.2f} s in all):")
                for view, took in refreshed:
                    print(f"  {view:<36} {took.total_seconds() * 1000:>10.1f} ms")

        rng = random.Random(19)
        n, rounds = args.unknowns, args.rounds
        ids = lambda: f"{rng.randrange(1, n + 1)}"  # noqa: E731
        past = lambda: rounds_at[rng.randrange(len(rounds_at) - 1)] + timedelta(microseconds=1)  # noqa: E731
        valid = lambda: DAY0 + timedelta(days=rng.randrange(0, 40))  # noqa: E731
        with psycopg.connect(dsn) as app:
            # valid_to and system_to are 'infinity' in current rows: read timestamps as text.
            app.adapters.register_loader("timestamptz", TextLoader)
            app.execute("SET ROLE pgattest_app")
            app.commit()
            # One transaction for every query below: the tenant context is transaction-bound.
            app.execute("SELECT core.set_tenant(%s)", (TENANT,))
            base = timed(app, "SELECT 1", lambda: (), rounds)
            unknown_rows = [
                ("as_of now, one unknown", timed(app, "SELECT * FROM unknowns.as_of(now(), NULL, md5('u' || %s)::uuid)",
                                                 lambda: (ids(),), rounds), 2),
                ("as_of point (valid_at, known_at, id)", timed(
                    app, "SELECT * FROM unknowns.as_of(%s, %s, md5('u' || %s)::uuid)",
                    lambda: (valid(), past(), ids()), rounds), 2),
                ("as_of snapshot, whole tenant (count)", timed(
                    app, "SELECT count(*) FROM unknowns.as_of(%s, %s)", lambda: (valid(), past()),
                    max(1, rounds // 5)), 60),
            ]
            snap = app.execute("SELECT count(*) FROM unknowns.as_of(%s, %s)",
                               (DAY0 + timedelta(days=35), rounds_at[len(rounds_at) // 2])).fetchone()[0]
            dashboard = [
                ("triage.vex_status()", "SELECT * FROM triage.vex_status()"),
                ("triage.vex_top('vulnerability', 10)", "SELECT * FROM triage.vex_top('vulnerability', 10)"),
                ("triage.vex_top('product', 10)", "SELECT * FROM triage.vex_top('product', 10)"),
                ("triage.unknowns_by_kind()", "SELECT * FROM triage.unknowns_by_kind()"),
                ("triage.queue_status() (exact)", "SELECT * FROM triage.queue_status()"),
                ("triage.freshness()", "SELECT * FROM triage.freshness()"),
            ]
            dash_rows = [(label, timed(app, sql, lambda: (), rounds), 5) for label, sql in dashboard]
            whole = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                for _, sql in dashboard:
                    app.execute(sql).fetchall()
                whole.append((time.perf_counter() - t0) * 1000)
            whole.sort()
            dash_rows.append(("the six together (one dashboard)",
                              (statistics.median(whole), whole[min(len(whole) - 1, int(len(whole) * 0.99))]), None))
            app.rollback()

        print(f"\nwhole-tenant snapshot check: {snap:,} unknowns valid on day 35 as known at round "
              f"{len(rounds_at) // 2}")
        print(f"baseline SELECT 1: median {base[0]:.3f} ms, p99 {base[1]:.3f} ms ({rounds} calls each)\n")
        print(f"{'query':<42} {'median ms':>10} {'p99 ms':>8} {'p99/baseline':>13} {'target':>14}")
        for label, (med, p99), target in unknown_rows + dash_rows:
            verdict = "" if target is None else f"< {target} ms {'met' if p99 < target else 'MISSED'}"
            print(f"{label:<42} {med:>10.3f} {p99:>8.3f} {p99 / base[1]:>13.1f} {verdict:>14}")
        print(f"\n{load()}")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
