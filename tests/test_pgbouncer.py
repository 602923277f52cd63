"""Issue 20: the shipped PgBouncer configurations (ops/pgbouncer/), run for real.

Debian's pgbouncer starts from pgbouncer.production.ini (listen port, [databases], file
paths and server TLS adapted, see tests/support/pgbouncer.py; the pool size cut to 3
server connections per login so that many more clients than server connections share
them) with the auth file ./pgattest userlist builds from the roles. Through it run the
tenancy paths (tenants set per transaction, a session value from an attacker never
counting), the queue (submissions, concurrent claims, each item claimed once) and the real
worker against the development log, started as everywhere else (python -m ops.devlog).
The same checks are run against broken configurations (session pooling, a login missing
from the auth file) and must fail there."""

import json
import secrets
import threading
import time

import psycopg
import pytest

from ops import devlog, pooler
from tests.support import pgbouncer
from tests.support.pgbouncer import PgBouncer, read_ini, shipped
from tests.support.queue_helpers import Signer, new_tenant

pytestmark = pytest.mark.skipif(not pgbouncer.available(), reason="no pgbouncer (./pgattest setup installs it)")

POOL = 3          # server connections per login (the [databases] pool_size the test sets)
CLIENTS = 9       # concurrent clients of one login: three times the server connections


@pytest.fixture(scope="module")
def logins(db):
    """Login roles as a DBA creates them: a service, a worker, and one with no pgattest role."""
    tag = secrets.token_hex(3)
    made = {kind: (f"pgb_{kind}_{tag}", secrets.token_urlsafe(12)) for kind in ("app", "worker", "nobody")}
    with psycopg.connect(db, autocommit=True) as conn:
        for kind, (name, password) in made.items():
            member = {"app": " IN ROLE pgattest_app", "worker": " IN ROLE pgattest_worker"}.get(kind, "")
            conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'{member}")
    yield made
    with psycopg.connect(db, autocommit=True) as conn:
        for name, _ in made.values():
            conn.execute(f"DROP ROLE IF EXISTS {name}")


@pytest.fixture(scope="module")
def auth_file(db, logins, tmp_path_factory):
    text, _warnings = pooler.userlist(db)
    path = tmp_path_factory.mktemp("pooler") / "userlist.txt"
    pooler.write_atomically(path, text)
    return path


@pytest.fixture(scope="module")
def production(db, auth_file):
    with PgBouncer(shipped("production", db, POOL, auth_file)) as bouncer:
        yield bouncer


def run_clients(n, body, timeout=60):
    """Run body(i) on n threads at once; their results. Fails when one raises or is still
    waiting after timeout seconds (a client that never gets a server connection)."""
    results, errors = [None] * n, []
    start = threading.Barrier(n)

    def run(i):
        try:
            start.wait(timeout=timeout)
            results[i] = body(i)
        except Exception as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    stuck = sum(t.is_alive() for t in threads)
    assert not stuck, f"{stuck} of {n} clients still waiting after {timeout} s for a server connection"
    if errors:
        raise errors[0]
    return results


def tenancy_through(bouncer, db, login, password, rounds=6, hold=0.02, timeout=60):
    """CLIENTS clients of one login hold their connections open at once, each a tenant of
    its own (two clients per tenant) and one in three first leaving another tenant in its
    session: every transaction sees exactly its own tenant, its ledger appends stay its own,
    and they all run on at most POOL server connections. Returns the backend pids seen."""
    tenants = [f"pgb-{secrets.token_hex(3)}" for _ in range(3)]
    with psycopg.connect(db, autocommit=True) as conn:
        for t in tenants:
            conn.execute("SELECT core.register_tenant(%s, %s)", (t, t))
    pids = set()
    # Every client keeps its connection until all have done their rounds: only pooling per
    # transaction lets CLIENTS connected clients all be served by POOL server connections.
    all_done = threading.Barrier(CLIENTS)

    def client(i):
        tenant, other = tenants[i % len(tenants)], tenants[(i + 1) % len(tenants)]
        with bouncer.connect(login, password) as conn:
            if i % 3 == 0:
                # What an attacker (or a careless client) leaves on a pooled server connection.
                conn.execute("SELECT set_config('app.tenant_id', %s, false)", (other,))
                conn.commit()
            for r in range(rounds):
                conn.execute("SELECT core.set_tenant(%s)", (tenant,))
                seen = [row[0] for row in conn.execute("SELECT tenant_id FROM core.tenants")]
                assert seen == [tenant], f"client {i} set {tenant} and saw {seen}"
                conn.execute("SELECT verdict.append(%s, 'pass', %s)", (f"sha256:{secrets.token_hex(32)}", f"c{i} r{r}"))
                pids.add(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
                time.sleep(hold)  # keep the transaction open a moment: others must wait for or share servers
                conn.commit()
                # The next transaction, on whichever server connection, has no tenant.
                assert conn.execute("SELECT core.current_tenant()").fetchone() == (None,)
                assert conn.execute("SELECT count(*) FROM core.tenants").fetchone() == (0,)
                conn.commit()
            try:
                all_done.wait(timeout=timeout)
            except threading.BrokenBarrierError:
                raise AssertionError(f"client {i}: the other clients, still waiting for a server connection, "
                                     "never finished while it held its own") from None

    run_clients(CLIENTS, client, timeout)
    with psycopg.connect(db) as conn:
        counts = dict(conn.execute("""SELECT tenant_id, count(*) FROM verdict.ledger_entries
                                       WHERE tenant_id = ANY(%s) GROUP BY 1""", (tenants,)).fetchall())
        gaps = conn.execute("""SELECT count(*) FROM (SELECT seq, row_number() OVER (PARTITION BY tenant_id ORDER BY seq) AS n
                                 FROM verdict.ledger_entries WHERE tenant_id = ANY(%s)) s WHERE seq <> n""",
                            (tenants,)).fetchone()[0]
    per_tenant = CLIENTS // len(tenants) * rounds
    assert counts == {t: per_tenant for t in tenants}, counts
    assert gaps == 0
    assert len(pids) <= POOL + int(bouncer.sections["pgbouncer"].get("reserve_pool_size", 0)), pids
    return pids


def test_shipped_configurations_pool_transactions_with_reasoned_sizes():
    for name in ("production", "staging", "compose"):
        path = pgbouncer.CONFIGS / f"pgbouncer.{name}.ini"
        settings = read_ini(path)["pgbouncer"]
        assert settings["pool_mode"] == "transaction", name
        assert settings["auth_type"] == "scram-sha-256" and settings["auth_file"], name
        # Every pool size is reasoned: the comment above its group of settings states the figure
        # (so a changed figure whose reason was not revisited fails here).
        text = path.read_text().splitlines()
        for key in ("default_pool_size", "max_db_connections"):
            at = next(i for i, line in enumerate(text) if line.startswith(key + " "))
            while not text[at - 1].startswith(";"):
                at -= 1
            comment = []
            while text[at - 1].startswith(";"):
                at -= 1
                comment.insert(0, text[at])
            assert f" {settings[key]} " in " ".join(comment) + " ", f"{name}: no reason given for {key} = {settings[key]}"
        assert int(settings["max_db_connections"]) >= int(settings["default_pool_size"]), name
    for name in ("production", "staging"):
        assert read_ini(pgbouncer.CONFIGS / f"pgbouncer.{name}.ini")["pgbouncer"]["client_tls_sslmode"] == "require"


def test_userlist_holds_the_service_and_worker_logins_only(db, logins, auth_file):
    text = auth_file.read_text()
    assert f'"{logins["app"][0]}" "SCRAM-SHA-256$' in text
    assert f'"{logins["worker"][0]}" "SCRAM-SHA-256$' in text
    assert logins["nobody"][0] not in text
    assert '"postgres"' not in text  # superusers never pass the pooler
    assert oct(auth_file.stat().st_mode & 0o777) == "0o600"


def test_tenancy_through_the_production_pooler(production, db, logins):
    login, password = logins["app"]
    pids = tenancy_through(production, db, login, password)
    assert CLIENTS > len(pids)


def test_logins_outside_the_auth_file_or_with_a_wrong_password_are_refused(production, logins):
    for login, password in (logins["nobody"], (logins["app"][0], "wrong"), ("postgres", "postgres")):
        with pytest.raises(psycopg.OperationalError):
            production.connect(login, password, connect_timeout=5).close()


def queue_through(bouncer, db, logins, signer, tenants, log_id, per_client=4, timeout=60):
    """CLIENTS service clients submit envelopes at once (their envelope ids), then CLIENTS worker clients claim
    them at once, in small batches, until none is left: every item is claimed exactly once.
    Returns the number of items."""
    app, worker = logins["app"], logins["worker"]

    def submit(i):
        with bouncer.connect(*app) as conn:
            ids = []
            for _ in range(per_client):
                conn.execute("SELECT core.set_tenant(%s)", (tenants[i % len(tenants)],))
                ids.append(conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)",
                                        (json.dumps(signer.envelope()), log_id)).fetchone()[0])
                conn.commit()
            return ids

    submitted = [x for ids in run_clients(CLIENTS, submit, timeout) for x in ids]
    claimed_by = {}
    lock = threading.Lock()

    def claim(i):
        with bouncer.connect(*worker) as conn:
            while True:
                rows = conn.execute("SELECT envelope_id, claim_token FROM attestor.claim_submissions(%s, 3, '1 minute')",
                                    (f"pooled-{i}",)).fetchall()
                conn.commit()
                if not rows:
                    return
                with lock:
                    for envelope_id, _token in rows:
                        claimed_by.setdefault(envelope_id, []).append(i)
                # Each item stays leased (a minute): no other claimer may take it meanwhile.

    # Claims by other tests' workers would compete: only this test's tenants are queued here.
    run_clients(CLIENTS, claim, timeout)
    mine = {s: who for s, who in claimed_by.items() if s in set(submitted)}
    assert set(mine) == set(submitted), f"{len(set(submitted) - set(mine))} items never claimed"
    assert all(len(who) == 1 for who in mine.values()), "an item was claimed twice"
    with psycopg.connect(db) as conn:
        conn.execute("DELETE FROM attestor.rekor_submission_queue WHERE envelope_id = ANY(%s)", (submitted,))
    return len(submitted)


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture(scope="module")
def devlog_process(db):
    """The development log, started as compose and the README start it (python -m ops.devlog),
    registering itself in the test database."""
    proc, info = devlog.start_process("--api", "v2", "--port", "0", "--register-dsn", db)
    yield info
    proc.terminate()
    proc.wait(timeout=30)


def test_queue_through_the_production_pooler(production, db, logins, signer, devlog_process):
    tenants = [new_tenant(db, signer, "pgbq") for _ in range(3)]
    assert queue_through(production, db, logins, signer, tenants, devlog_process["registered_log_id"]) == CLIENTS * 4


def test_worker_through_the_production_pooler(production, db, logins, signer, devlog_process):
    """Two real workers whose --dsn is the pooler (the worker login, its password) and whose
    LISTEN goes to PostgreSQL directly, as the README says, drain the queue into the log."""
    from tests.test_worker_faults import counts, finish, spawn_worker, submit_many, wait_until
    tenants = [new_tenant(db, signer, "pgbw") for _ in range(2)]
    log_id = devlog_process["registered_log_id"]
    submit_many(db, tenants, signer, log_id, 60)
    pooled = production.dsn(*logins["worker"])
    workers = [spawn_worker(pooled, db, f"pgb-worker-{i}", "--poll-seconds", "0.5") for i in range(2)]
    try:
        wait_until(lambda: counts(db, tenants)[0] == {"submitted": 60}, 120, "the workers to drain the queue")
    finally:
        for proc in workers:
            finish(proc)
    with psycopg.connect(db) as conn:
        entries, envelopes = conn.execute("""SELECT count(*), count(DISTINCT (tenant_id, envelope_id))
                                               FROM proofchain.rekor_entries WHERE tenant_id = ANY(%s)""",
                                          (tenants,)).fetchone()
    assert entries == envelopes == 60  # each item stored once


def test_protocol_prepared_statements_need_prepare_threshold_none(production, logins):
    """What the configuration tells clients: with PgBouncer 1.18, psycopg's default
    (prepare after the fifth run) breaks on the sixth run of a query once two clients share
    a server connection; prepare_threshold=None does not."""
    if pgbouncer.version() >= (1, 21) and "max_prepared_statements" in production.sections["pgbouncer"]:
        pytest.skip("PgBouncer tracks prepared statements itself (max_prepared_statements)")
    login, password = logins["app"]
    dsn = production.dsn(login, password)
    with psycopg.connect(dsn, autocommit=True) as a, psycopg.connect(dsn, autocommit=True) as b:
        with pytest.raises((psycopg.errors.DuplicatePreparedStatement, psycopg.errors.InvalidSqlStatementName)):
            for _ in range(10):
                for conn in (a, b):
                    conn.execute("SELECT core.current_tenant()")
    with production.connect(login, password, autocommit=True) as a, \
            production.connect(login, password, autocommit=True) as b:
        for _ in range(10):
            for conn in (a, b):
                conn.execute("SELECT core.current_tenant()")


@pytest.mark.parametrize("name", ["staging", "compose"])
def test_staging_and_compose_configurations_run(name, db, logins, auth_file):
    with PgBouncer(shipped(name, db, POOL, auth_file)) as bouncer:
        tenancy_through(bouncer, db, *logins["app"], rounds=2)


def test_the_checks_fail_on_a_session_pooling_configuration(db, logins, auth_file):
    """Broken on purpose: session pooling gives each client a server connection for its whole
    session, so 9 clients on 3 (+2 reserve) server connections wait and the check fails."""
    with PgBouncer(shipped("production", db, POOL, auth_file, pool_mode="session")) as bouncer:
        with pytest.raises(AssertionError, match="still waiting"):
            tenancy_through(bouncer, db, *logins["app"], rounds=2, timeout=8)


def test_the_checks_fail_when_the_worker_login_is_missing(db, logins, tmp_path, signer, devlog_process):
    """Broken on purpose: an auth file built without the worker role's logins."""
    text, _ = pooler.userlist(db, roles=("pgattest_app",))
    path = tmp_path / "userlist.txt"
    pooler.write_atomically(path, text)
    tenants = [new_tenant(db, signer, "pgbx")]
    try:
        with PgBouncer(shipped("production", db, POOL, path)) as bouncer:
            with pytest.raises(psycopg.OperationalError, match="SASL authentication failed|password authentication failed"):
                queue_through(bouncer, db, logins, signer, tenants, devlog_process["registered_log_id"], per_client=1)
    finally:
        with psycopg.connect(db) as conn:
            conn.execute("DELETE FROM attestor.rekor_submission_queue WHERE tenant_id = ANY(%s)", (tenants,))
