"""Benchmark: the VEX linker's queue and lookups by Rekor entry on 1,000,000 observations.

    ./pgattest bench vex_links [--observations N] [--rounds R]

Loads N observations for one tenant (1% unlinked; the rest linked three to a Rekor
uuid and log index), then times, each over R calls from one connection:
  pending_rekor_links   vex.pending_rekor_links(100) as pgattest_worker (rolled back, so
                        every call sees the same queue);
  by_rekor uuid         vex.observations_by_rekor(uuid) as pgattest_app, random uuids;
  by_rekor log index    vex.observations_by_rekor(log_index), random indices;
and, as the baseline in the same run, SELECT 1 over the same connection. Prints median
and p99 latency in ms and the ratio to the baseline. Target (issue 5): p99 < 5 ms.

Tenant tables keep no planner statistics (issue 15 item 2: EXPLAIN would show other
tenants' values through them). To measure what that costs, the queries run twice in one
process: as deployed (no statistics), then with the default statistics target restored
on vex.observations and the table analyzed again (as before issue 15); the plans of the
queries behind the three functions are printed for both.

The synthetic rows are loaded with session_replication_role = replica, which skips the
foreign-key checks against Rekor entries that do not exist: what is measured is the
lookup paths (the partial index of unlinked rows, the uuid and log index indexes) at
this size, not the linking itself (tests/test_vex.py covers that).
"""

import argparse
import random
import statistics
import time

from _common import cluster, fresh_deployed_database, machine

import psycopg

TENANT = "bench-vex"


def timed(conn, sql, params_fn, rounds, rollback=False):
    samples = []
    for _ in range(rounds):
        params = params_fn()
        t0 = time.perf_counter()
        conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - t0) * 1000)
        if rollback:
            conn.rollback()
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=500)
    args = ap.parse_args()
    n = args.observations
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench_vex")
    try:
        with psycopg.connect(dsn, autocommit=True) as su:
            su.execute("SELECT core.register_tenant(%s, 'VEX benchmark')", (TENANT,))
            t0 = time.perf_counter()
            su.execute("SET session_replication_role = replica")
            su.execute("""
                INSERT INTO vex.observations
                       (tenant_id, created_at, content_id, vulnerability_id, product_key, provider, status,
                        justification, statement_text, statement, statement_timestamp, source_format, source_text,
                        rekor_uuid, rekor_log_index, rekor_entry_id, rekor_linked_at)
                SELECT %(t)s, now() - (%(n)s - g) * interval '1 millisecond',
                       'sha256:' || encode(sha256(g::text::bytea), 'hex'), 'CVE-2026-' || (10000 + g %% 5000),
                       'pkg:npm/p' || (g %% 20000) || '@1.0.0', 'provider' || (g %% 7),
                       (ARRAY['not_affected', 'affected', 'fixed', 'under_investigation'])[1 + g %% 4],
                       CASE WHEN g %% 4 = 0 THEN 'component_not_present' END, '{}', '{}', now(), 'openvex', '{}',
                       CASE WHEN g %% 100 <> 0 THEN encode(sha256(('e' || g / 3)::bytea), 'hex') END,
                       CASE WHEN g %% 100 <> 0 THEN g / 3 END,
                       CASE WHEN g %% 100 <> 0 THEN md5('e' || g / 3)::uuid END,
                       CASE WHEN g %% 100 <> 0 THEN now() END
                  FROM generate_series(1, %(n)s) AS g""", {"t": TENANT, "n": n})
            su.execute("SET session_replication_role = DEFAULT")
            su.execute("VACUUM ANALYZE vex.observations")
            print(f"loaded {n:,} observations ({n // 100:,} unlinked) in {time.perf_counter() - t0:.1f} s")

        results = {}
        for state in ("no statistics (as deployed)", "with statistics (before issue 15)"):
            if state.startswith("with"):
                with psycopg.connect(dsn, autocommit=True) as su:
                    for (col,) in su.execute("""SELECT quote_ident(attname) FROM pg_attribute
                                                 WHERE attrelid = 'vex.observations'::regclass AND attnum > 0
                                                   AND NOT attisdropped""").fetchall():
                        su.execute(f"ALTER TABLE vex.observations ALTER COLUMN {col} SET STATISTICS -1")
                    su.execute("ANALYZE vex.observations")
            print(f"\n-- {state}: plans")
            print_plans(dsn)
            results[state] = measure(dsn, n, args.rounds)
        for state, (base, rows) in results.items():
            print(f"\n{state}: baseline SELECT 1 median {base[0]:.3f} ms, p99 {base[1]:.3f} ms ({args.rounds} calls each)")
            print(f"{'query':<34} {'median ms':>10} {'p99 ms':>8} {'p99/baseline':>13} {'target p99 < 5 ms':>18}")
            for label, (med, p99) in rows:
                print(f"{label:<34} {med:>10.3f} {p99:>8.3f} {p99 / base[1]:>13.1f} {'met' if p99 < 5 else 'MISSED':>18}")
        (_, hidden), (_, shown) = results.values()
        print("\nmedian ratio, no statistics / with statistics: "
              + ", ".join(f"{label} {h[0] / s[0]:.2f}" for (label, h), (_, s) in zip(hidden, shown)))
    finally:
        cluster.drop_database(admin, name)


# The queries behind the three functions, to EXPLAIN (pending_rekor_links as its owner runs it).
PLANNED = [
    ("pending_rekor_links", "pgattest_system", None,
     """SELECT o.tenant_id, o.id FROM vex.observations o WHERE o.rekor_entry_id IS NULL
         ORDER BY o.created_at, o.id LIMIT 100 FOR UPDATE SKIP LOCKED"""),
    ("observations_by_rekor(uuid)", "pgattest_app", TENANT,
     """SELECT o.id FROM vex.observations o WHERE o.tenant_id = (SELECT core.current_tenant())
         AND o.rekor_uuid = encode(sha256('e7'::bytea), 'hex') ORDER BY o.created_at, o.id"""),
    ("observations_by_rekor(log_index)", "pgattest_app", TENANT,
     """SELECT o.id FROM vex.observations o WHERE o.tenant_id = (SELECT core.current_tenant())
         AND o.rekor_log_index = 7 ORDER BY o.created_at, o.id"""),
]


def print_plans(dsn):
    with psycopg.connect(dsn) as conn:
        for label, role, tenant, sql in PLANNED:
            conn.execute(f"SET ROLE {role}")
            if tenant:
                conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            print(f"{label}:")
            for (line,) in conn.execute("EXPLAIN " + sql).fetchall():
                print("    " + line)
            conn.rollback()


def measure(dsn, n, rounds):
    """(baseline, [(label, (median, p99))]) of the three functions, each over rounds calls."""
    with psycopg.connect(dsn) as worker, psycopg.connect(dsn) as app:
        worker.execute("SET ROLE pgattest_worker")
        worker.commit()
        app.execute("SET ROLE pgattest_app")
        app.commit()
        # One transaction for every app query below: the tenant context is transaction-bound.
        app.execute("SELECT core.set_tenant(%s)", (TENANT,))
        rng = random.Random(7)
        indices = lambda: (rng.randrange(1, n // 3),)  # noqa: E731
        base = timed(app, "SELECT 1", lambda: (), rounds)
        rows = [
            ("pending_rekor_links(100)", timed(worker, "SELECT * FROM vex.pending_rekor_links(100)", lambda: (),
                                               rounds, rollback=True)),
            ("observations_by_rekor(uuid)", timed(
                app, "SELECT * FROM vex.observations_by_rekor(encode(sha256(('e' || %s::text)::bytea), 'hex'))",
                indices, rounds)),
            ("observations_by_rekor(log_index)", timed(app, "SELECT * FROM vex.observations_by_rekor(%s::bigint)",
                                                       indices, rounds)),
        ]
    return base, rows


if __name__ == "__main__":
    main()
