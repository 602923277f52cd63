"""Benchmark: the worker end to end against a log with latency (issue 16).

    ./pgattest bench worker_e2e [--items 2000] [--tenants 5] [--latencies 0,200,1000] [--workers 1,4]
                                [--batch 50] [--concurrency 128]

Real worker processes (python -m worker.rekor_worker) drain 2,000 envelopes across 5
tenants into the development log (python -m ops.devlog), which runs in its own process and
answers each request after --latency-ms (0, 200 ms, 1 s), for 1 and 4 workers at batch 50.
Prints verified submissions/s at a steady rate (from 10% to 90% of the items stored, so
process start-up and the tail are left out) and each run's ratio to the same worker count
at latency 0, measured in the same run; and, to read them by, how many entries shared a
checkpoint (the log integrates what arrives together) and how many items one completion
call stored. Target (issue 16): at 1 s of latency, 4 workers at
batch 50 reach at least 0.8x of their latency-0 rate. The machine is shared: each figure
also gives the load average at the start of the run.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

import psycopg
from _common import ROOT, cluster, fresh_deployed_database, machine

from ops import devlog

from tests.support.queue_helpers import Signer, call, new_tenant


def start_devlog(latency_ms):
    return devlog.start_process("--api", "v2", "--port", "0", "--latency-ms", latency_ms)


def register(dsn, info):
    return call(dsn, "pgattest_admin",
                """SELECT attestor.register_transparency_log(%s, %s, %s, key_name => %s, tree_id => %s,
                                                             global_index_offset => %s)""",
                (info["api_version"], info["url"], info["public_key_pem"], info["key_name"], info["tree_id"],
                 info["global_index_offset"]))


def enqueue(dsn, tenants, signer, log_id, n):
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_app")
        for i, tenant in enumerate(tenants):
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            for _ in range(n // len(tenants)):
                conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(signer.envelope()), log_id))
            conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE attestor.rekor_submission_queue")


def submitted(dsn, log_id):
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM attestor.rekor_submission_queue WHERE log_id = %s AND state = 'submitted'",
                            (log_id,)).fetchone()[0]


def shape(dsn, log_id):
    """(entries per checkpoint, items per completion) of the log's stored entries: a log that
    integrates entries together lets them share a checkpoint (verified and stored once), and
    the items of one complete_submissions call share their submitted_at (one transaction)."""
    with psycopg.connect(dsn) as conn:
        per_cp, per_call = conn.execute(
            """SELECT count(*)::numeric / greatest(count(DISTINCT e.checkpoint_id), 1),
                      count(*)::numeric / greatest(count(DISTINCT q.submitted_at), 1)
                 FROM attestor.rekor_submission_queue q
                 JOIN proofchain.rekor_entries e ON e.tenant_id = q.tenant_id AND e.id = q.rekor_entry_id
                WHERE q.log_id = %s AND q.state = 'submitted'""", (log_id,)).fetchone()
    return float(per_cp), float(per_call)


def run(dsn, log_id, n, workers, batch, concurrency):
    """Items/s from 10% to 90% stored, and the whole run's seconds."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-m", "worker.rekor_worker", "--dsn", dsn, "--role", "pgattest_worker",
                               "--worker-id", f"bench-{i}", "--batch", str(batch), "--concurrency", str(concurrency),
                               "--poll-seconds", "0.5", "--log-level", "WARNING"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for i in range(workers)]
    start = time.perf_counter()
    marks = {}
    try:
        while True:
            done = submitted(dsn, log_id)
            now = time.perf_counter()
            for share in (0.1, 0.9):
                if share not in marks and done >= share * n:
                    marks[share] = (now, done)
            if done >= n:
                break
            if now - start > 900 or any(p.poll() is not None for p in procs):
                raise RuntimeError(f"stuck at {done}/{n}: " + "".join(p.stderr.read().decode()[-1000:]
                                                                     for p in procs if p.poll() is not None))
            time.sleep(0.05)
        total = time.perf_counter() - start
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
    (t10, d10), (t90, d90) = marks[0.1], marks[0.9]
    return (d90 - d10) / (t90 - t10), total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=2000)
    ap.add_argument("--tenants", type=int, default=5)
    ap.add_argument("--latencies", default="0,200,1000", help="log latencies in ms, the first is the baseline")
    ap.add_argument("--workers", default="1,4")
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--concurrency", type=int, default=128)
    args = ap.parse_args()
    latencies = [int(x) for x in args.latencies.split(",")]
    counts = [int(x) for x in args.workers.split(",")]
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench")
    results = {}
    try:
        signer = Signer()
        tenants = [new_tenant(dsn, signer, "bench") for _ in range(args.tenants)]
        print(f"{args.items} envelopes over {args.tenants} tenants per run, batch {args.batch}, "
              f"concurrency {args.concurrency} per worker; log: ops/devlog.py (Rekor v2 dsse) in its own process\n")
        print(f"{'latency':>8} {'workers':>8} {'verified/s':>11} {'ratio':>7} {'run s':>7} {'load':>6} "
              f"{'entries/checkpoint':>19} {'items/completion':>17}")
        for latency in latencies:
            devlog, info = start_devlog(latency)
            try:
                log_id = register(dsn, info)
                for workers in counts:
                    enqueue(dsn, tenants, signer, log_id, args.items)
                    load = os.getloadavg()[0]
                    rate, total = run(dsn, log_id, args.items, workers, args.batch, args.concurrency)
                    per_cp, per_call = shape(dsn, log_id)
                    with psycopg.connect(dsn, autocommit=True) as conn:  # the next run starts from an empty queue
                        conn.execute("DELETE FROM attestor.rekor_submission_queue WHERE state = 'submitted'")
                    results[(latency, workers)] = rate
                    base = results.get((latencies[0], workers))
                    print(f"{latency:>6}ms {workers:>8} {rate:>11,.0f} {rate / base:>6.2f}x {total:>7.1f} {load:>6.2f} "
                          f"{per_cp:>19.1f} {per_call:>17.1f}", flush=True)
            finally:
                devlog.send_signal(signal.SIGTERM)
                devlog.wait(timeout=30)
        worst = latencies[-1]
        if (worst, 4) in results and (latencies[0], 4) in results:
            ratio = results[(worst, 4)] / results[(latencies[0], 4)]
            print(f"\ntarget: 4 workers at {worst} ms reach {ratio:.2f}x of latency 0 "
                  f"({'met' if ratio >= 0.8 else 'NOT met'}: at least 0.8x)")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
