"""Benchmark: 100,000 stored RFC 9162 inclusion proofs from a tree of about 2^24 leaves,
verified set-based in SQL and by the same Python outside the database.

    ./pgattest bench verify_inclusion [--proofs N] [--log2-size K]

Prints proofs/second in the database (one core: no parallel workers), outside it (same
process, same proofs, same plpython/pgattest/merkle.py), their ratio, and the figure
with parallel workers for reference. Targets (issue 3): >= 20,000 proofs/s in the
database on one core; in-database time under 2x the out-of-database time.
"""

import argparse
import hashlib
import random
import time

from _common import cluster, fresh_deployed_database, machine

from pgattest import merkle


def build_levels(size):
    """All levels of the RFC 9162 tree over leaves H(0x00 || i as 8 bytes), as packed bytes.

    Pairing level by level and promoting an odd last node gives the same tree as
    RFC 9162's largest-power-of-two split, and the same audit paths."""
    sha = hashlib.sha256
    level = b"".join(sha(b"\x00" + i.to_bytes(8, "big")).digest() for i in range(size))
    levels = [level]
    while len(level) > 32:
        n = len(level) // 32
        nxt = [sha(b"\x01" + level[64 * j:64 * j + 64]).digest() for j in range(n // 2)]
        if n % 2:
            nxt.append(level[-32:])
        level = b"".join(nxt)
        levels.append(level)
    return levels


def audit_path(levels, index):
    path = []
    for level in levels[:-1]:
        n = len(level) // 32
        sibling = index ^ 1
        if sibling < n:
            path.append(level[32 * sibling:32 * sibling + 32])
        index //= 2
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proofs", type=int, default=100_000)
    ap.add_argument("--log2-size", type=int, default=24)
    args = ap.parse_args()
    size = (1 << args.log2_size) + 1000  # not a power of two: the right edge has promoted nodes

    print(f"machine: {machine()}")
    t = time.perf_counter()
    levels = build_levels(size)
    root = levels[-1]
    print(f"tree: {size:,} leaves built in {time.perf_counter() - t:.1f}s, root {root.hex()[:16]}...")
    rng = random.Random(42)
    rows = []
    for index in (rng.randrange(size) for _ in range(args.proofs)):
        rows.append((levels[0][32 * index:32 * index + 32], index, size, audit_path(levels, index), root))
    del levels
    avg = sum(len(r[3]) for r in rows) / len(rows)
    print(f"proofs: {len(rows):,}, {avg:.1f} hashes each on average")

    admin, name, dsn = fresh_deployed_database("pgattest_bench")
    import psycopg
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("""CREATE TABLE bench_proofs (leaf_hash bytea, leaf_index bigint, tree_size bigint,
                                                       proof bytea[], root_hash bytea)""")
            with conn.cursor().copy("COPY bench_proofs FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["bytea", "int8", "int8", "bytea[]", "bytea"])
                for row in rows:
                    copy.write_row(row)
            conn.execute("VACUUM ANALYZE bench_proofs")
            query = """SELECT count(*) FILTER (WHERE proofchain.verify_inclusion(leaf_hash, leaf_index, tree_size,
                                                                                  proof, root_hash))
                         FROM bench_proofs"""
            conn.execute("SELECT _pgattest.load_pylib()")  # as a long-lived session would have

            def in_db(workers):
                conn.execute(f"SET max_parallel_workers_per_gather = {workers}")
                conn.execute(f"SET parallel_setup_cost = 0")
                conn.execute(f"SET min_parallel_table_scan_size = 0")
                best = None
                for _ in range(3):
                    t0 = time.perf_counter()
                    ok = conn.execute(query).fetchone()[0]
                    dt = time.perf_counter() - t0
                    assert ok == len(rows), f"only {ok} of {len(rows)} proofs verified in the database"
                    best = dt if best is None else min(best, dt)
                return best

            def out_of_db():
                verify = merkle.verify_inclusion
                best = None
                for _ in range(3):
                    t0 = time.perf_counter()
                    ok = sum(1 for r in rows if verify(*r))
                    dt = time.perf_counter() - t0
                    assert ok == len(rows)
                    best = dt if best is None else min(best, dt)
                return best

            # Baseline and subject interleaved in the same process, best of three each.
            t_py = out_of_db()
            t_db = in_db(0)
            t_db_par = in_db(2)
            n = len(rows)
            print()
            print(f"{'run':<42}{'seconds':>10}{'proofs/s':>12}")
            print(f"{'out of the database (Python, 1 core)':<42}{t_py:>10.3f}{n / t_py:>12,.0f}")
            print(f"{'in the database (SQL, 1 core)':<42}{t_db:>10.3f}{n / t_db:>12,.0f}")
            print(f"{'in the database (SQL, 2 parallel workers)':<42}{t_db_par:>10.3f}{n / t_db_par:>12,.0f}")
            print(f"ratio in-database / out-of-database time (1 core): {t_db / t_py:.2f}x")
            print(f"target >= 20,000 proofs/s in the database on one core: "
                  f"{'met' if n / t_db >= 20_000 else 'MISSED'}; overhead < 2x: {'met' if t_db / t_py < 2 else 'MISSED'}")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
