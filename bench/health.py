"""health.check() latency on an idle and on a loaded database (issue 21: under 50 ms).

    ./pgattest bench health [--items N] [--calls N]

Baseline: health.check() on the same database with nothing else running. Load: the queue
benchmark's workload (bench/queue_throughput.py: 4 threads claiming batches of 50 and
completing them with verified Rekor v2 entries) while another connection calls
health.check() back to back; it prints the p50/p99 of each and the loaded/idle ratio.
The queue holds the items of the run plus the submitted history of a warm-up.
"""

import argparse
import statistics
import threading
import time

from _common import cluster, fresh_deployed_database, machine

import psycopg  # noqa: E402
from queue_throughput import bench_queue, enqueue  # noqa: E402
from tests.support.local_rekor import LocalRekor  # noqa: E402
from tests.support.queue_helpers import Signer, new_tenant, register_log  # noqa: E402


def timed_checks(dsn, calls=None, until=None):
    """Milliseconds of each health.check() call, as a pg_monitor login would make them."""
    samples = []
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as conn:
        conn.execute("SET ROLE pgattest_monitor")
        while (calls is not None and len(samples) < calls) or (until is not None and not until.is_set()):
            t0 = time.perf_counter()
            conn.execute("SELECT health.check()").fetchone()
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def summary(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10000, help="queue items of the loaded run (default 10000)")
    ap.add_argument("--calls", type=int, default=300, help="health.check() calls of the idle baseline (default 300)")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench_health")
    signer = Signer()
    try:
        with LocalRekor("v2") as log:
            log_id = register_log(dsn, log)
            tenants = [new_tenant(dsn, signer, "bench") for _ in range(5)]
            _, warm = enqueue(dsn, tenants, signer, log_id, 2000, log)
            bench_queue(dsn, 2, 50, warm, complete=True)      # submitted history
            _, entries = enqueue(dsn, tenants, signer, log_id, args.items, log)
            timed_checks(dsn, calls=20)                        # warm the backend's plans
            idle = timed_checks(dsn, calls=args.calls)
            stop = threading.Event()
            loaded = []
            checker = threading.Thread(target=lambda: loaded.extend(timed_checks(dsn, until=stop)))
            checker.start()
            t0 = time.perf_counter()
            rate = bench_queue(dsn, 4, 50, entries, complete=True)
            seconds = time.perf_counter() - t0
            stop.set()
            checker.join()
            i50, i99 = summary(idle)
            l50, l99 = summary(loaded)
            print(f"\nqueue load: {args.items:,} items, 4 workers at batch 50, {rate:,.0f} verified/s over {seconds:.1f} s")
            print(f"{'health.check()':<16} {'calls':>6} {'p50 ms':>8} {'p99 ms':>8}")
            print(f"{'idle':<16} {len(idle):>6} {i50:>8.2f} {i99:>8.2f}")
            print(f"{'under load':<16} {len(loaded):>6} {l50:>8.2f} {l99:>8.2f}")
            print(f"\nratio loaded/idle: p50 {l50 / i50:.2f}x, p99 {l99 / i99:.2f}x")
            print(f"target p99 under load < 50 ms: {'met' if l99 < 50 else 'MISSED'}")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
