"""Benchmark: the identity watchlist's cost per stored entry, and backfill throughput.

    ./pgattest bench watchlist [--entries N] [--batch B] [--identities M]

Matching: N Rekor entries (bodies of the shared Sigstore bundles: Fulcio certificates) are
stored for one tenant in statements of B entries, as the worker's batch completion does,
three ways in one run: with the watchlist trigger disabled (the baseline: storing alone,
audit trigger included), enabled with no rule (identity extraction in PL/Python), and
enabled with 1,000 rules of mixed modes (250 each exact, prefix, glob, regex, over SAN,
issuer and key fingerprint; a few match). Prints ms per entry and the ratio to the baseline.

Backfill: M identities of the tenant (default 1,000,000, spread over 30 days; written in
bulk with session_replication_role = replica, so only the ~0.1% that match point at real
entries), then watchlist.backfill of one new exact-SAN rule over all of them.
Target (issue 18): backfill >= 1,000,000 entries per minute. Baseline in the same run:
counting the same rows (the scan alone).
"""

import argparse
import itertools
import time

from _common import cluster, fresh_deployed_database, machine

import psycopg  # noqa: E402
from tests.support.watchlist_helpers import Store, bundle_bodies  # noqa: E402

TENANT = "bench-watch"


def rules_sql(n):
    """n rules, a quarter per mode; fields rotate over SAN, issuer and key."""
    return f"""
    INSERT INTO watchlist.rules (tenant_id, name, san_pattern, issuer_pattern, key_pattern, match_mode, severity)
    SELECT '{TENANT}', 'rule-' || i,
           CASE WHEN i % 3 = 0 THEN p END, CASE WHEN i % 3 = 1 THEN p END, CASE WHEN i % 3 = 2 THEN k END,
           mode, (ARRAY['critical', 'warning', 'info'])[1 + i % 3]
      FROM generate_series(1, {n}) i,
           LATERAL (SELECT (ARRAY['exact', 'prefix', 'glob', 'regex'])[1 + i % 4] AS mode) m,
           LATERAL (SELECT CASE mode
                        WHEN 'exact'  THEN 'user' || i || '@example.com'
                        WHEN 'prefix' THEN 'https://github.com/org' || i || '/'
                        WHEN 'glob'   THEN 'https://*.example' || i || '.com/*'
                        ELSE '^https://(www\\.)?example' || i || '\\.(com|org)/[a-z]+$' END AS p,
                           CASE mode WHEN 'regex' THEN '^[0-9a-f]{{8}}' || lpad(to_hex(i), 8, '0') ELSE md5(i::text) END AS k) x
    """


def store_run(dsn, bodies, n, batch):
    with psycopg.connect(dsn, autocommit=True) as conn:
        store = Store(conn)
        store.envelope(TENANT)
        conn.execute("SELECT _pgattest.entry_identities('\\x7b7d')")  # load the library in this backend
        cycle = itertools.cycle(bodies)
        t0 = time.perf_counter()
        for _ in range(n // batch):
            with conn.transaction():
                store.entries(TENANT, [next(cycle) for _ in range(batch)])
        return (time.perf_counter() - t0) * 1000 / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--identities", type=int, default=1_000_000)
    args = ap.parse_args()
    admin, name, dsn = fresh_deployed_database("pgattest_bench_watch")
    print(f"machine: {machine()}")
    bodies = list(bundle_bodies().values())
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SELECT core.register_tenant(%s, 'bench')", (TENANT,))
        results = {}
        for label in ("watchlist trigger disabled", "no rules", "1,000 rules"):
            with psycopg.connect(dsn, autocommit=True) as conn:
                if label == "watchlist trigger disabled":
                    conn.execute("ALTER TABLE proofchain.rekor_entries DISABLE TRIGGER watch_new_entries")
                else:
                    conn.execute("ALTER TABLE proofchain.rekor_entries ENABLE TRIGGER watch_new_entries")
                if label == "1,000 rules":
                    conn.execute(rules_sql(998))
                    # A few rules that match the bundles' signers.
                    conn.execute(f"""INSERT INTO watchlist.rules (tenant_id, name, san_pattern, match_mode, severity)
                                     VALUES ('{TENANT}', 'm1', 'william@yossarian.net', 'exact', 'critical'),
                                            ('{TENANT}', 'm2', 'https://github.com/*', 'glob', 'warning')""")
                conn.execute("ANALYZE")
            results[label] = store_run(dsn, bodies, args.entries, args.batch)
            print(f"  store {args.entries} entries, batch {args.batch}, {label:28} {results[label]:7.3f} ms/entry")
        base = results["watchlist trigger disabled"]
        print(f"extraction: +{results['no rules'] - base:.3f} ms/entry; matching 1,000 rules: "
              f"+{results['1,000 rules'] - results['no rules']:.3f} ms/entry "
              f"({results['1,000 rules'] / base:.2f}x storing without the watchlist)")
        with psycopg.connect(dsn, autocommit=True) as conn:
            alerts = conn.execute("SELECT count(*), sum(occurrences) FROM watchlist.alerts").fetchone()
            print(f"alerts: {alerts[0]} ({alerts[1]} occurrences)")

        # Backfill over M identities.
        with psycopg.connect(dsn, autocommit=True) as conn:
            real = [r[0] for r in conn.execute("SELECT id FROM proofchain.rekor_entries LIMIT 100")]
            t0 = time.perf_counter()
            conn.execute("SET session_replication_role = replica")
            conn.execute(f"""
                INSERT INTO watchlist.identities (tenant_id, created_at, rekor_entry_id, kind, san_type, san, oidc_issuer,
                                                  key_fingerprint)
                SELECT '{TENANT}', now() - interval '30 days' * (i::float8 / {args.identities}),
                       CASE WHEN mod(i, 1000) = 0 THEN (%(real)s::uuid[])[1 + mod(i / 1000, {len(real)})] ELSE gen_random_uuid() END,
                       'certificate', 'email',
                       CASE WHEN mod(i, 1000) = 0 THEN 'watched@example.com' ELSE 'user' || mod(i, 50000) || '@example.com' END,
                       'https://github.com/login/oauth', md5(i::text) || md5((i + 1)::text)
                  FROM generate_series(1, {args.identities}) i""", {"real": real})
            conn.execute("RESET session_replication_role")
            conn.execute("ANALYZE watchlist.identities")
            print(f"seeded {args.identities:,} identities in {time.perf_counter() - t0:.1f} s")
            time.sleep(0.01)
            # Room for the backfilled rule under the limit of 1,000.
            conn.execute(f"DELETE FROM watchlist.rules WHERE tenant_id = '{TENANT}' AND name = 'rule-1'")
        with psycopg.connect(dsn) as conn:
            conn.execute("SET ROLE pgattest_app")
            conn.commit()
            conn.execute("SELECT core.set_tenant(%s)", (TENANT,))
            rid = conn.execute("SELECT rule_id FROM watchlist.upsert_rule('backfilled', 'exact', 'critical', "
                               "san_pattern => 'watched@example.com')").fetchone()[0]
            conn.commit()
            conn.execute("SELECT core.set_tenant(%s)", (TENANT,))
            t0 = time.perf_counter()
            scanned = conn.execute("SELECT count(*) FROM watchlist.identities WHERE created_at >= now() - interval '31 days'"
                                   ).fetchone()[0]
            scan_s = time.perf_counter() - t0
            conn.commit()
            conn.execute("SELECT core.set_tenant(%s)", (TENANT,))
            t0 = time.perf_counter()
            matched = conn.execute("SELECT watchlist.backfill(%s, now() - interval '31 days')", (rid,)).fetchone()[0]
            conn.commit()
            backfill_s = time.perf_counter() - t0
        rate = scanned / backfill_s * 60
        print(f"backfill of one rule over {scanned:,} identities: {backfill_s:.2f} s, {matched:,} matches, "
              f"{rate:,.0f} entries/min (target >= 1,000,000); the scan alone {scan_s:.2f} s "
              f"(backfill {backfill_s / scan_s:.1f}x the scan)")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
