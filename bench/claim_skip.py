"""Benchmark: attestor.claim_submissions skipping logs (skip_logs), on a long due queue.

    ./pgattest bench claim_skip [--items 100000] [--tenants 10] [--calls 40] [--batch 50]

A queue of --items due items over --tenants tenants and two logs: 'down' holds the oldest
90% (a log that was down while items piled up), 'up' the newest 10%. Each claim of --batch
runs as pgattest_worker in a transaction that is rolled back, so every call sees the same
queue:
  baseline    the three-argument call (what every worker called before skip_logs)
  skip none   skip_logs '{}' (the worker's call while no log is paused or full)
  skip up     skipping the log of the newest 10%: what it walks past is little
  skip down   skipping the log of the oldest 90%: the worst case, the claim walks past
              every due item of that log (no index holds log_id)
Prints ms per claim (median, p90) and each one's ratio to the baseline, then the plans of
the claim's statements (auto_explain, nested statements, with ANALYZE and BUFFERS) of the
baseline and of the worst case. The worker claims with a skip list only while a log is
paused or full, and then on notifications at most once a second (worker/rekor_worker.py).
"""

import argparse
import json
import statistics
import time

from _common import cluster, fresh_deployed_database, machine

import psycopg  # noqa: E402
from tests.support.local_rekor import LocalRekor  # noqa: E402
from tests.support.queue_helpers import Signer, call, new_tenant, register_log  # noqa: E402


def load(dsn, signer, logs, tenants, items):
    """One real envelope per tenant (attestor.submit_envelope), copied into `items` queue items."""
    names = [new_tenant(dsn, signer, "skip") for _ in range(tenants)]
    for tenant in names:
        call(dsn, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
             (json.dumps(signer.envelope()), logs["up"]), tenant=tenant)
    t0 = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as su:
        # Copies of the verified envelopes, without the triggers and checks submitting each
        # would run (a benchmark of the claim, not of submission).
        su.execute("SET session_replication_role = replica")
        su.execute("""CREATE TEMP TABLE template AS
                      SELECT row_number() OVER (ORDER BY tenant_id) - 1 AS k, tenant_id, envelope, payload_type,
                             payload, signatures, trust_anchor_id, statement
                        FROM proofchain.dsse_envelopes""")
        su.execute("""INSERT INTO proofchain.dsse_envelopes (id, tenant_id, content_digest, envelope, payload_type, payload,
                                                             signatures, trust_anchor_id, statement)
                      SELECT md5('bench' || g)::uuid, t.tenant_id, 'sha256:' || encode(sha256(('bench' || g)::bytea), 'hex'),
                             t.envelope, t.payload_type, t.payload, t.signatures, t.trust_anchor_id, t.statement
                        FROM generate_series(1, %(n)s) AS g JOIN template t ON t.k = g %% %(tenants)s""",
                   {"n": items, "tenants": tenants})
        su.execute("""INSERT INTO attestor.rekor_submission_queue (tenant_id, created_at, next_attempt_at, envelope_id, log_id)
                      SELECT t.tenant_id, now() - (%(n)s - g) * interval '1 millisecond' - interval '1 hour',
                             now() - (%(n)s - g) * interval '1 millisecond' - interval '1 hour',
                             md5('bench' || g)::uuid, CASE WHEN g <= %(n)s * 0.9 THEN %(down)s ELSE %(up)s END
                        FROM generate_series(1, %(n)s) AS g JOIN template t ON t.k = g %% %(tenants)s""",
                   {"n": items, "tenants": tenants, **logs})
        su.execute("SET session_replication_role = DEFAULT")
        su.execute("VACUUM ANALYZE proofchain.dsse_envelopes")
        su.execute("VACUUM ANALYZE attestor.rekor_submission_queue")
        due = dict(su.execute("""SELECT log_id, count(*) FROM attestor.rekor_submission_queue
                                  WHERE state = 'pending' GROUP BY log_id""").fetchall())
    print(f"loaded {items:,} due items ({due.get(logs['down'], 0):,} down, {due.get(logs['up'], 0):,} up) "
          f"over {tenants} tenants in {time.perf_counter() - t0:.1f} s")


CALLS = {
    "baseline": ("SELECT count(*) FROM attestor.claim_submissions('bench', %(batch)s, '1 minute')", None),
    "skip none": ("SELECT count(*) FROM attestor.claim_submissions('bench', %(batch)s, '1 minute', %(skip)s)", ()),
    "skip up": ("SELECT count(*) FROM attestor.claim_submissions('bench', %(batch)s, '1 minute', %(skip)s)", ("up",)),
    "skip down": ("SELECT count(*) FROM attestor.claim_submissions('bench', %(batch)s, '1 minute', %(skip)s)", ("down",)),
}


def time_claims(dsn, logs, batch, calls):
    """{name: (ms per call, sorted), items claimed}; the calls alternate, so load on the
    shared machine falls on every variant alike."""
    out = {name: [] for name in CALLS}
    claimed = {}
    with psycopg.connect(dsn, prepare_threshold=None) as conn:  # as the workers' sessions
        conn.execute("SET ROLE pgattest_worker")
        conn.commit()
        for round_ in range(calls + 1):
            for name, (statement, skip) in CALLS.items():
                params = {"batch": batch, "skip": [logs[s] for s in skip] if skip is not None else None}
                t0 = time.perf_counter()
                n = conn.execute(statement, params).fetchone()[0]
                ms = 1000 * (time.perf_counter() - t0)
                conn.rollback()  # the same queue for the next call
                if round_:  # the first round plans the session's statements
                    out[name].append(ms)
                claimed[name] = n
    return {name: sorted(v) for name, v in out.items()}, claimed


def plans(dsn, logs, batch, name):
    """The plans of the claim's statements for one variant, from auto_explain (nested)."""
    statement, skip = CALLS[name]
    notices = []
    with psycopg.connect(dsn, prepare_threshold=None) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary))
        for setting in ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                        "SET auto_explain.log_nested_statements = on", "SET auto_explain.log_analyze = on",
                        "SET auto_explain.log_buffers = on", "SET auto_explain.log_timing = off",
                        "SET auto_explain.log_level = notice", "SET ROLE pgattest_worker"):
            conn.execute(setting)
        params = {"batch": batch, "skip": [logs[s] for s in skip] if skip is not None else None}
        conn.execute(statement, params)
        conn.rollback()
    return [n for n in notices if "attestor.rekor_submission_queue q" in n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--tenants", type=int, default=10)
    ap.add_argument("--calls", type=int, default=40)
    ap.add_argument("--batch", type=int, default=50)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench_skip")
    signer = Signer()
    try:
        with LocalRekor("v2") as down, LocalRekor("v2") as up:
            logs = {"down": register_log(dsn, down), "up": register_log(dsn, up)}
            load(dsn, signer, logs, args.tenants, args.items)
            times, claimed = time_claims(dsn, logs, args.batch, args.calls)
            base = statistics.median(times["baseline"])
            print(f"\nclaims of {args.batch}, {args.calls} calls each, alternating, rolled back\n")
            print(f"{'claim':<10} {'items':>5} {'median ms':>10} {'p90 ms':>8} {'ratio':>6}")
            for variant, ms in times.items():
                median = statistics.median(ms)
                print(f"{variant:<10} {claimed[variant]:>5} {median:>10.2f} {ms[int(0.9 * (len(ms) - 1))]:>8.2f} "
                      f"{median / base:>6.2f}")
            for variant in ("baseline", "skip down"):
                print(f"\n--- plans of the claim's statements, {variant} ---")
                for plan in plans(dsn, logs, args.batch, variant):
                    print(plan)
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
