"""Benchmark: the verdict ledger and the trust verdict store (issue 17).

    ./pgattest bench ledger [--seconds S] [--clients C] [--tenants T] [--chain N] [--verdicts M] [--rounds R]

1. Appends/s: C clients (default 8) for S seconds (default 10) each, every append its own
   transaction (core.set_tenant, verdict.append, commit), on one tenant and spread over T
   tenants (default 64; client k takes tenants k, k+C, ...). Baseline in the same run: the
   same transactions inserting the same rows (precomputed hashes, distinct seq) into a
   plain copy of the table (same columns and indexes; no chain, lock, RLS or trigger).
   Targets: >= 2,500 appends/s on one tenant; across T tenants at most 35% below plain.
   One tenant is also run with synchronous_commit = off (informative: the per-tenant lock
   is held through commit, so the WAL flush bounds one tenant's rate).
2. Verification rate: a chain of N entries (default 1,000,000) for one tenant, built in
   Python with the documented layout and loaded with COPY, then verdict.verify(1) timed
   (entries/s; target >= 400,000); the anchor check's extra cost (the RFC 9162 root over all
   N hashes, _pgattest.ledger_tree_roots) timed on its own. Baseline: one scan hashing
   every stored entry_hash (sha256), the floor of any per-entry check.
3. Trust verdicts at M rows for one tenant (default 1,000,000, loaded set-based as the
   superuser with their counters; 200,000 subjects, so 800,000 are superseded history):
   trustverdict.get, trustverdict.query (first page; by subject; by issuer and decision; by
   score range; a page in the middle of the current verdicts and of the history) and
   trustverdict.stats, R calls each (default 300): median and p99 ms, against SELECT 1.
   Targets: query p99 < 10 ms, stats < 5 ms.
4. verdict.verify() with its defaults on a chain of N entries anchored (an anchor row at
   N - 1,000, written as the superuser with the root of the stored hashes; it has no
   logged envelope, so both versions report it anchor_invalid after doing all the work):
   the rework after v1.1.0 rehashes every entry from 1 and computes the anchor roots over
   the recomputed hashes. Baseline in the same run: the v1.1.0 body
   (deploy/verdict/verify@v1.1.0.sql, created under another name), which rehashed only
   the entries from the last anchor on and took the anchor roots over the stored hashes
   (it missed an edited entry before the anchor: the cost of the fix is this ratio).
"""

import argparse
import hashlib
import io
import os
import statistics
import struct
import threading
import time
import uuid
from pathlib import Path
from datetime import datetime, timedelta, timezone

from _common import cluster, fresh_deployed_database, machine

import psycopg

TENANT = "bench-ledger"
APPEND = "SELECT verdict.append(%s, 'pass', %s)"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def digest(n):
    return "sha256:" + hashlib.sha256(str(n).encode()).hexdigest()


def run_clients(dsn, clients, seconds, work, setup=()):
    """Run work(conn, k, i) in C threads for `seconds`; total transactions per second."""
    done = [0] * clients
    stop = time.perf_counter() + seconds
    errors = []

    def client(k):
        try:
            with psycopg.connect(dsn, autocommit=True, prepare_threshold=0) as conn:
                conn.execute("SET ROLE pgattest_app")
                for sql in setup:
                    conn.execute(sql)
                i = 0
                while time.perf_counter() < stop:
                    work(conn, k, i)
                    i += 1
                done[k] = i
        except Exception as exc:  # reported after the run
            errors.append(exc)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return sum(done) / (time.perf_counter() - t0)


def appends(dsn, clients, seconds, tenants, setup=()):
    def work(conn, k, i):
        with conn.transaction():
            conn.execute("SELECT core.set_tenant(%s)", (tenants[(k + i * clients) % len(tenants)],))
            conn.execute(APPEND, (digest(i % 1000), f"client {k} entry {i}"))
    return run_clients(dsn, clients, seconds, work, setup)


def plain_inserts(dsn, clients, seconds, tenants):
    hashes = os.urandom(32)

    def work(conn, k, i):
        with conn.transaction():
            tenant = tenants[(k + i * clients) % len(tenants)]
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            conn.execute("""INSERT INTO public.plain_entries (tenant_id, seq, kind, subject_digest, decision, reason,
                                                              recorded_at, prev_hash, entry_hash)
                            VALUES (%s, %s, 'decision', %s, 'pass', %s, clock_timestamp(), %s, %s)""",
                         (tenant, k * 1_000_000_000 + i + 1, digest(i % 1000), f"client {k} entry {i}", hashes, hashes))
    return run_clients(dsn, clients, seconds, work)


def leaf(tenant, seq, eid, recorded_at, subject, reason, prev):
    def text(value):
        data = value.encode()
        return struct.pack(">I", len(data)) + data
    micros = (recorded_at - EPOCH) // timedelta(microseconds=1)
    return (b"\x01" + text(tenant) + struct.pack(">q", seq) + eid.bytes + text("decision") + struct.pack(">q", micros)
            + text(subject) + text("pass") + text(reason) + struct.pack(">i", -1) + b"\0" * 40 + prev)


def load_chain(dsn, tenant, n):
    """n chained entries for tenant, computed here with the documented layout, loaded with COPY."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    prev = bytes(32)
    buf = io.StringIO()
    for seq in range(1, n + 1):
        eid = uuid.UUID(bytes=hashlib.md5(b"%d" % seq).digest())
        at = start + timedelta(microseconds=seq)
        subject, reason = digest(seq % 5000), f"entry {seq}"
        h = hashlib.sha256(b"\0" + leaf(tenant, seq, eid, at, subject, reason, prev)).digest()
        buf.write(f"{eid}\t{tenant}\t{seq}\tdecision\t{subject}\tpass\t{reason}\t{at.isoformat()}\t\\\\x{prev.hex()}\t\\\\x{h.hex()}\n")
        prev = h
    buf.seek(0)
    with psycopg.connect(dsn, autocommit=True) as su:
        with su.cursor().copy("""COPY verdict.ledger_entries (id, tenant_id, seq, kind, subject_digest, decision, reason,
                                                              recorded_at, prev_hash, entry_hash) FROM STDIN""") as copy:
            while chunk := buf.read(1 << 20):
                copy.write(chunk)
        su.execute("VACUUM ANALYZE verdict.ledger_entries")


def load_verdicts(dsn, tenant, m):
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SET session_replication_role = replica")  # no trust anchor row: skip the foreign keys
        su.execute("""
            INSERT INTO trustverdict.verdicts (id, tenant_id, created_at, content_id, subject_digest, issuer, score, decision,
                                               policy_digest, evidence_ids, verified_at, body_text, body, envelope,
                                               trust_anchor_id, ledger_seq, supersedes, superseded_at, superseded_by)
            -- 200,000 subjects, 20 issuers: verdict g is superseded by g + 200,000 when there is one.
            SELECT md5('v' || g)::uuid, %(t)s, timestamptz '2026-01-01' + g * interval '1 second',
                   'sha256:' || encode(sha256(('v' || g)::bytea), 'hex'),
                   'sha256:' || encode(sha256(('s' || g %% 200000)::bytea), 'hex'),
                   'https://verifier.example/' || g %% 20, (g %% 10000) / 10000.0,
                   (ARRAY['pass', 'pass', 'warn', 'fail'])[1 + (g / 7) %% 4],  -- independent of the issuer (g %% 20)
                   'sha256:' || encode(sha256('policy'::bytea), 'hex'), '{}', now(), '{}', '{}', '{}',
                   gen_random_uuid(), g,
                   CASE WHEN g > 200000 THEN md5('v' || (g - 200000))::uuid END,
                   CASE WHEN g + 200000 <= %(m)s THEN timestamptz '2026-01-01' + (g + 200000) * interval '1 second' END,
                   CASE WHEN g + 200000 <= %(m)s THEN md5('v' || (g + 200000))::uuid END
              FROM generate_series(1, %(m)s) g""", {"t": tenant, "m": m})
        su.execute("""
            INSERT INTO trustverdict.verdict_counts (tenant_id, issuer, decision, score_bucket, verdicts)
            SELECT tenant_id, issuer, decision, least(floor(score * 10), 9), count(*)
              FROM trustverdict.verdicts WHERE tenant_id = %s AND superseded_at IS NULL GROUP BY 1, 2, 3, 4""", (tenant,))
        su.execute("SET session_replication_role = DEFAULT")
        su.execute("VACUUM ANALYZE trustverdict.verdicts")
        su.execute("VACUUM ANALYZE trustverdict.verdict_counts")


def timed(conn, sql, params_fn, rounds):
    samples = []
    for _ in range(rounds):
        params = params_fn()
        t0 = time.perf_counter()
        conn.execute(sql, params).fetchall()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--tenants", type=int, default=64)
    ap.add_argument("--chain", type=int, default=1_000_000)
    ap.add_argument("--verdicts", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--parts", default="1,2,3,4", help="which of the four parts to run (default all)")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    admin, name, dsn = fresh_deployed_database("pgattest_bench_ledger")
    try:
        tenants = [f"bench-t{i:02d}" for i in range(args.tenants)]
        with psycopg.connect(dsn, autocommit=True) as su:
            for t in [TENANT, "bench-chain", "bench-tv"] + tenants:
                su.execute("SELECT core.register_tenant(%s, %s)", (t, t))
            su.execute("CREATE TABLE public.plain_entries (LIKE verdict.ledger_entries INCLUDING DEFAULTS INCLUDING INDEXES)")
            su.execute("ALTER TABLE public.plain_entries ALTER COLUMN tenant_id DROP DEFAULT")
            su.execute("GRANT INSERT ON public.plain_entries TO pgattest_app")

        parts = set(args.parts.split(","))
    except BaseException:
        cluster.drop_database(admin, name)
        raise
    try:
        if "1" in parts:
            part1(dsn, args, tenants)
        if "2" in parts:
            part2(dsn, args)
        if "3" in parts:
            part3(dsn, args)
        if "4" in parts:
            part4(dsn, args)
    finally:
        cluster.drop_database(admin, name)


def part1(dsn, args, tenants):
    print(f"\n1. appends/s, {args.clients} clients, {args.seconds:.0f} s each, one transaction per append")
    one = appends(dsn, args.clients, args.seconds, [TENANT])
    # The per-tenant lock is held through commit, so one tenant's rate is bounded by the
    # commit's WAL flush: the same run without waiting for it shows what that bound is.
    one_async = appends(dsn, args.clients, args.seconds, [TENANT], ["SET synchronous_commit = off"])
    plain_one = plain_inserts(dsn, args.clients, args.seconds, [TENANT])
    many = appends(dsn, args.clients, args.seconds, tenants)
    plain_many = plain_inserts(dsn, args.clients, args.seconds, tenants)
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (TENANT,))
        assert conn.execute("SELECT valid FROM verdict.verify(1)").fetchone()[0], "the appended chain does not verify"
    print(f"{'':<28} {'appends/s':>10} {'plain/s':>10} {'ratio':>7}  target")
    print(f"{'one tenant':<28} {one:>10,.0f} {plain_one:>10,.0f} {one / plain_one:>7.2f}  >= 2,500/s: "
          f"{'met' if one >= 2500 else 'MISSED'}")
    print(f"{'one tenant, async commit':<28} {one_async:>10,.0f} {'':>10} {'':>7}  (synchronous_commit = off: "
          f"the commit's flush is what bounds one tenant)")
    print(f"{f'{args.tenants} tenants':<28} {many:>10,.0f} {plain_many:>10,.0f} {many / plain_many:>7.2f}  ratio >= 0.65: "
          f"{'met' if many / plain_many >= 0.65 else 'MISSED'}")



def part2(dsn, args):
    n = args.chain
    print(f"\n2. verification of a {n:,}-entry chain")
    t0 = time.perf_counter()
    load_chain(dsn, "bench-chain", n)
    print(f"loaded in {time.perf_counter() - t0:.1f} s")
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant('bench-chain')")
        conn.execute("SELECT * FROM verdict.checkpoint()")  # loads the library in this backend
        t0 = time.perf_counter()
        base = conn.execute("SELECT count(*), sum(length(sha256(entry_hash))) FROM verdict.ledger_entries").fetchone()
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = conn.execute("SELECT valid, entries_checked FROM verdict.verify(1)").fetchone()
        t_verify = time.perf_counter() - t0
        assert result == (True, n) and base[0] == n, result
        t0 = time.perf_counter()
        conn.execute("SELECT root_hash FROM verdict.checkpoint()")
        t_root = time.perf_counter() - t0
    print(f"verdict.verify(1): {t_verify:.2f} s, {n / t_verify:,.0f} entries/s (target >= 400,000: "
          f"{'met' if n / t_verify >= 400_000 else 'MISSED'}); baseline scan hashing every entry_hash "
          f"{t_base:.2f} s ({n / t_base:,.0f}/s), ratio {t_verify / t_base:.1f}x")
    print(f"anchor check's extra: the root over {n:,} hashes (verdict.checkpoint) {t_root:.2f} s, "
          f"{n / t_root:,.0f} entries/s; verify with an anchor at the head ~ {n / (t_verify + t_root):,.0f} entries/s")



def part4(dsn, args, rounds=5):
    n, tenant = args.chain, "bench-anchored"
    print(f"\n4. verdict.verify() with the defaults, {n:,} entries, an anchor at {n - 1000:,}")
    old = (Path(__file__).resolve().parents[1] / "deploy" / "verdict" / "verify@v1.1.0.sql").read_text()
    old = old.replace("verdict.verify(", "public.verify_v110(").replace("TO pgattest_app, pgattest_admin", "TO pgattest_app")
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SELECT core.register_tenant(%s, %s)", (tenant, tenant))
        su.execute("GRANT CREATE ON SCHEMA public TO pgattest_owner")
    with psycopg.connect(dsn, autocommit=True) as su:  # the script's own BEGIN/COMMIT
        su.execute(old)
    load_chain(dsn, tenant, n)
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SET session_replication_role = replica")  # no envelope or Rekor entry behind the anchor
        su.execute("""INSERT INTO verdict.anchors (tenant_id, tree_size, root_hash, checkpoint, envelope_id, rekor_entry_id, anchored_at)
                      SELECT %(t)s, %(s)s, r.root_hash, 'bench', gen_random_uuid(), gen_random_uuid(), now()
                        FROM _pgattest.ledger_tree_roots((SELECT string_agg(entry_hash, ''::bytea ORDER BY seq)
                                                            FROM verdict.ledger_entries WHERE tenant_id = %(t)s AND seq <= %(s)s),
                                                         ARRAY[%(s)s::bigint]) r""", {"t": tenant, "s": n - 1000})
    with psycopg.connect(dsn) as conn:  # one transaction: the tenant is set per transaction
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.execute("SELECT * FROM verdict.checkpoint()")  # loads the library in this backend
        times = {"v1.1.0 (tail only)": [], "rework (every entry)": []}
        for _ in range(rounds):  # alternating, so both see the same machine
            for label, fn in (("v1.1.0 (tail only)", "public.verify_v110"), ("rework (every entry)", "verdict.verify")):
                t0 = time.perf_counter()
                row = conn.execute(f"SELECT checked_from, entries_checked, problem FROM {fn}()").fetchone()
                times[label].append(time.perf_counter() - t0)
        print(f"{'verify()':<22} {'checked_from':>12} {'entries':>9} {'median s':>9} {'min s':>7}")
        for label, fn in (("v1.1.0 (tail only)", "public.verify_v110"), ("rework (every entry)", "verdict.verify")):
            row = conn.execute(f"SELECT checked_from, entries_checked, problem FROM {fn}()").fetchone()
            print(f"{label:<22} {row[0]:>12,} {row[1]:>9,} {statistics.median(times[label]):>9.3f} {min(times[label]):>7.3f}")
        old_t, new_t = (statistics.median(times[k]) for k in times)
        print(f"ratio rework / v1.1.0: {new_t / old_t:.1f}x; the rework at {n / new_t:,.0f} entries/s")


def part3(dsn, args):
    m = args.verdicts
    print(f"\n3. trust verdicts at {m:,} for one tenant")
    t0 = time.perf_counter()
    load_verdicts(dsn, "bench-tv", m)
    print(f"loaded in {time.perf_counter() - t0:.1f} s")
    import random
    rng = random.Random(17)
    rounds = args.rounds
    with psycopg.connect(dsn, prepare_threshold=0) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant('bench-tv')")
        deep = conn.execute("""SELECT created_at, id FROM trustverdict.verdicts ORDER BY created_at, id
                                OFFSET %s LIMIT 1""", (m // 2,)).fetchone()
        deep_current = conn.execute("""SELECT created_at, id FROM trustverdict.verdicts WHERE superseded_at IS NULL
                                        ORDER BY created_at, id OFFSET %s LIMIT 1""",
                                    (min(m, 200_000) // 2,)).fetchone()
        rows = [("SELECT 1 (baseline)", timed(conn, "SELECT 1", lambda: (), rounds))]
        rows += [
            ("get(content_id)", timed(conn, "SELECT * FROM trustverdict.get('sha256:' || encode(sha256(('v' || %s)::bytea), 'hex'))",
                                      lambda: (rng.randrange(1, m + 1),), rounds)),
            ("query() first page", timed(conn, "SELECT * FROM trustverdict.query()", lambda: (), rounds)),
            ("query(subject)", timed(conn, "SELECT * FROM trustverdict.query(subject_digest => 'sha256:' || encode(sha256(('s' || %s)::bytea), 'hex'), include_superseded => true)",
                                     lambda: (rng.randrange(0, 200000),), rounds)),
            ("query(issuer, decision)", timed(conn, "SELECT * FROM trustverdict.query(issuer => %s, decision => 'warn')",
                                              lambda: (f"https://verifier.example/{rng.randrange(20)}",), rounds)),
            ("query(score 0.90-0.95)", timed(conn, "SELECT * FROM trustverdict.query(min_score => 0.90, max_score => 0.95)",
                                             lambda: (), rounds)),
            ("query() page at the middle", timed(conn, "SELECT * FROM trustverdict.query(after_created_at => %s, after_id => %s)",
                                                 lambda: deep_current, rounds)),
            ("query(history) middle page", timed(conn, """SELECT * FROM trustverdict.query(include_superseded => true,
                                                              after_created_at => %s, after_id => %s)""",
                                                 lambda: deep, rounds)),
            ("stats()", timed(conn, "SELECT * FROM trustverdict.stats()", lambda: (), rounds)),
        ]
    print(f"{'call':<28} {'median ms':>10} {'p99 ms':>8}  target")
    for label, (med, p99) in rows:
        target = "p99 < 10 ms" if label.startswith("query") else "< 5 ms" if label.startswith("stats") else ""
        ok = "" if not target else (": met" if p99 < (10 if label.startswith("query") else 5) else ": MISSED")
        print(f"{label:<28} {med:>10.3f} {p99:>8.3f}  {target}{ok}")


if __name__ == "__main__":
    main()
