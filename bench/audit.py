"""Benchmark: the cost of the audit trigger on the write path.

    ./pgattest bench audit [--seconds S] [--clients N] [--rounds R]

Two tenant tables made the same way (`_pgattest.enable_tenancy`: RLS forced, tenant policy,
updated_at trigger), one keeping the audit triggers and one with them dropped: the
baseline in the same run. N clients (threads, one connection each, role pgattest_app)
each send single-row writes, one transaction per write (`core.set_tenant` then the write,
in one round trip), for S seconds per variant; the variants alternate R times so drift on
the shared machine hits both. Two workloads: INSERT of a new row, and UPDATE of one
column of an existing row (the audit row then holds only the changed columns).
Target (issue 18): audited writes at most 35% below unaudited with 8 clients.
"""

import argparse
import threading
import time

from _common import cluster, fresh_deployed_database, machine

import psycopg  # noqa: E402

SETUP = """
CREATE SCHEMA bench AUTHORIZATION pgattest_owner;
GRANT USAGE ON SCHEMA bench TO pgattest_app;
SET ROLE pgattest_owner;
CREATE TABLE bench.{name} (
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    subject    text        NOT NULL,
    status     text        NOT NULL,
    score      integer     NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('bench.{name}');
GRANT SELECT, INSERT, UPDATE ON bench.{name} TO pgattest_app;
RESET ROLE;
"""


def run(dsn, table, op, clients, seconds, tenants, first_ids, rows_per_tenant):
    conns = []
    for i in range(clients):
        conn = psycopg.connect(dsn, autocommit=True)
        conn.execute("SET ROLE pgattest_app")
        conns.append(conn)
    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def work(i):
        conn, tenant, n = conns[i], tenants[i % len(tenants)], 0
        # One implicit transaction per simple-query string: set the tenant, write one row.
        while time.perf_counter() < stop:
            n += 1
            if op == "insert":
                conn.execute(f"SELECT core.set_tenant('{tenant}'); "
                             f"INSERT INTO bench.{table} (subject, status, score) VALUES ('pkg:{i}/{n}', 'affected', {n})")
            else:
                conn.execute(f"SELECT core.set_tenant('{tenant}'); "
                             f"UPDATE bench.{table} SET score = {n} WHERE tenant_id = '{tenant}' AND id = {first_ids[tenant] + (n * 7919 + i) % rows_per_tenant}")
        counts[i] = n

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    for c in conns:
        c.close()
    return sum(counts) / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    admin, name, dsn = fresh_deployed_database("pgattest_bench_audit")
    print(f"machine: {machine()}; {args.clients} clients, {args.seconds:g} s per run, {args.rounds} rounds")
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP.format(name="audited"))
            conn.execute(SETUP.format(name="plain").replace("CREATE SCHEMA bench AUTHORIZATION pgattest_owner;", "")
                         .replace("GRANT USAGE ON SCHEMA bench TO pgattest_app;", ""))
            for trig in ("audit_insert", "audit_update", "audit_delete"):
                conn.execute(f"DROP TRIGGER {trig} ON bench.plain")
            tenants = [f"bench-{i}" for i in range(4)]
            for t in tenants:
                conn.execute("SELECT core.register_tenant(%s, %s)", (t, t))
            # Rows to update: a dense id range per tenant (one seeding statement per tenant).
            rows = 2000
            first_ids = {}
            for table in ("audited", "plain"):
                for t in tenants:
                    first = conn.execute(f"""INSERT INTO bench.{table} (tenant_id, subject, status, score)
                                             SELECT %s, 'seed', 'affected', 0 FROM generate_series(1, {rows})
                                             RETURNING id""", (t,)).fetchall()
                    first_ids[(table, t)] = min(r[0] for r in first)
                    assert max(r[0] for r in first) == first_ids[(table, t)] + rows - 1
            conn.execute("ANALYZE")
        results = {}
        for op in ("insert", "update"):
            for _ in range(args.rounds):
                for table in ("plain", "audited"):
                    rate = run(dsn, table, op, args.clients, args.seconds, tenants,
                               {t: first_ids[(table, t)] for t in tenants}, rows)
                    results.setdefault((op, table), []).append(rate)
                    print(f"  {op:6} {table:8} {rate:9,.0f} writes/s")
        with psycopg.connect(dsn, autocommit=True) as conn:
            events = conn.execute("SELECT count(*) FROM audit.events WHERE table_name = 'bench.audited'").fetchone()[0]
            writes = conn.execute("SELECT count(*) FROM bench.audited").fetchone()[0]
        print(f"audit rows for bench.audited: {events:,} ({writes:,} rows in the table)")
        for op in ("insert", "update"):
            plain = sum(results[(op, "plain")]) / args.rounds
            audited = sum(results[(op, "audited")]) / args.rounds
            print(f"{op}: unaudited {plain:,.0f}/s, audited {audited:,.0f}/s: "
                  f"{100 * (1 - audited / plain):.1f}% below (target <= 35%)")
    finally:
        cluster.drop_database(admin, name)


if __name__ == "__main__":
    main()
