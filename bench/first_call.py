"""Benchmark: the first PL/Python call in a fresh connection, which loads the library.

    ./pgattest bench first_call [--connections N]

Per fresh connection: the first call of proofchain.rfc6962_leaf_hash (loads the library
into the backend), then the first call of another wrapper (proofchain.content_id: only
that function's own body to compile), then a call once both are loaded (the baseline,
same connection). Prints medians and each first call's ratio to the warm call.
"""

import argparse
import statistics
import time

from _common import cluster, fresh_deployed_database, machine

QUERIES = [
    ("first call (loads the library)", "SELECT proofchain.rfc6962_leaf_hash('\\x00'::bytea)"),
    ("another function's first call", "SELECT proofchain.content_id('{}')"),
    ("a call once loaded (baseline)", "SELECT proofchain.rfc6962_leaf_hash('\\x01'::bytea)"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connections", type=int, default=25)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench")
    import psycopg
    from psycopg.rows import dict_row
    try:
        times = {label: [] for label, _ in QUERIES}
        for _ in range(args.connections):
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("SELECT 1")
                for label, sql in QUERIES:
                    t0 = time.perf_counter()
                    conn.execute(sql).fetchone()
                    times[label].append(time.perf_counter() - t0)
        with psycopg.connect(dsn, autocommit=True, row_factory=dict_row) as conn:
            size = conn.execute("""SELECT sum(length(p.prosrc)) AS source_bytes, count(*) AS functions
                                     FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
                                    WHERE l.lanname = 'plpython3u'""").fetchone()
        base = statistics.median(times[QUERIES[-1][0]])
        print(f"connections: {args.connections}; PL/Python functions: {size['functions']}, "
              f"{size['source_bytes']:,} bytes of source in pg_proc")
        print(f"{'call':<36}{'median ms':>11}{'p90 ms':>9}{'x baseline':>12}")
        for label, _ in QUERIES:
            v = sorted(times[label])
            med = statistics.median(v)
            print(f"{label:<36}{med * 1000:>11.2f}{v[int(0.9 * (len(v) - 1))] * 1000:>9.2f}{med / base:>12.1f}")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
