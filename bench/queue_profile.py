"""Benchmark: where a verified completion spends its server time, per function.

    ./pgattest bench queue_profile [--items-batch50 N] [--items-batch1 N]

One worker completes items at batch 50 and at batch 1 (as queue_throughput does) with
track_functions = 'all'; prints verified/s and, per function, the server time per completed
item (total and self, from pg_stat_user_functions). Compare two versions by running it on
each, alternately: whole-run rates on a shared 2-core machine vary more than most changes.
"""

import argparse
import time

import psycopg
import queue_throughput as q
from _common import cluster, fresh_deployed_database, machine

from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, new_tenant, register_log


def function_times(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        return {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT schemaname || '.' || funcname, total_time, self_time FROM pg_stat_user_functions").fetchall()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items-batch50", type=int, default=3000)
    ap.add_argument("--items-batch1", type=int, default=1000)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench")
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"ALTER DATABASE {name} SET track_functions = 'all'")
        signer = Signer()
        with LocalRekor("v2") as log:
            log_id = register_log(dsn, log)
            tenants = [new_tenant(dsn, signer, "bench") for _ in range(5)]
            _, warm = q.enqueue(dsn, tenants, signer, log_id, 250, log)
            q.bench_queue(dsn, 1, 50, warm, complete=True)
            for batch, n in ((50, args.items_batch50), (1, args.items_batch1)):
                _, entries = q.enqueue(dsn, tenants, signer, log_id, n, log)
                before = function_times(dsn)
                rate = q.bench_queue(dsn, 1, batch, entries, complete=True)
                time.sleep(0.7)  # backends report their function statistics when idle
                after = function_times(dsn)
                print(f"\nbatch {batch}: {rate:,.0f} verified/s (1 worker); server microseconds per item:")
                print(f"   {'function':<45}{'total':>9}{'self':>9}")
                spent = {f: ((after[f][0] - before.get(f, (0, 0))[0]) * 1000 / n,
                             (after[f][1] - before.get(f, (0, 0))[1]) * 1000 / n) for f in after}
                for f, (total, own) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
                    if total >= 2:
                        print(f"   {f:<45}{total:>9.1f}{own:>9.1f}")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
