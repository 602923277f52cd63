"""The tenant context is transaction-local: a reused (pooled) session never keeps it."""

import secrets

import psycopg
import pytest

from tests.support import pgbouncer as bouncers


def visible_tenants(conn):
    return [r[0] for r in conn.execute("SELECT tenant_id FROM core.tenants ORDER BY 1")]


def test_tenant_setting_does_not_survive_commit_or_rollback(db, tenant_factory):
    tenant = tenant_factory("ctx")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert visible_tenants(conn) == [tenant]
        conn.commit()
        # Same session, next transaction: as a pooler would hand it to the next client.
        assert conn.execute("SELECT core.current_tenant()").fetchone() == (None,)
        assert visible_tenants(conn) == []
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.rollback()
        assert visible_tenants(conn) == []


def test_app_role_without_tenant_cannot_register_or_see_tenants(db, tenant_factory):
    tenant_factory("hidden")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        assert visible_tenants(conn) == []
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT core.register_tenant('sneaky', 'x')")


@pytest.fixture
def pgbouncer(db):
    """PgBouncer in transaction pooling mode with ONE server connection in front of the test database."""
    if not bouncers.available():
        pytest.skip("pgbouncer is not installed (./pgattest setup installs it)")
    params = psycopg.conninfo.conninfo_to_dict(db)
    backend = " ".join(f"{k}={v}" for k, v in params.items() if k in ("host", "port", "user", "password", "dbname"))
    settings = {"databases": {"pgattest": f"{backend} pool_size=1"},
                "pgbouncer": {"auth_type": "any", "pool_mode": "transaction", "max_client_conn": "20"}}
    with bouncers.PgBouncer(settings) as bouncer:
        yield f"host=127.0.0.1 port={bouncer.port} dbname=pgattest user={params.get('user', 'postgres')}"


def test_pgbouncer_transaction_pooling_does_not_leak_tenant(pgbouncer, tenant_factory):
    tenant = tenant_factory("pool")
    # prepare_threshold=None: no server-side prepared statements through a transaction pooler.
    with psycopg.connect(pgbouncer, prepare_threshold=None) as first, \
         psycopg.connect(pgbouncer, prepare_threshold=None) as second:
        first.execute("SET LOCAL ROLE pgattest_app")
        first.execute("SELECT core.set_tenant(%s)", (tenant,))
        pid_first = first.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert visible_tenants(first) == [tenant]
        first.commit()
        # The other client gets the very same server session (pool_size=1) ...
        second.execute("SET LOCAL ROLE pgattest_app")
        pid_second = second.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert pid_second == pid_first
        # ... and no tenant with it.
        assert second.execute("SELECT core.current_tenant()").fetchone() == (None,)
        assert visible_tenants(second) == []
        second.commit()


def test_session_level_tenant_counts_as_no_tenant(db, tenant_factory):
    """A value left in the session (SET, set_config(..., false)) is what a pooled server
    connection would carry to the next client: it must not count."""
    tenant = tenant_factory("sess")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT set_config('app.tenant_id', %s, false)", (tenant,))
        conn.commit()
        assert conn.execute("SELECT core.current_tenant()").fetchone() == (None,)
        assert visible_tenants(conn) == []
        conn.rollback()
        conn.execute(f"SET app.tenant_id = '{tenant}'")
        # Even a session-level marker copied from a finished transaction does not count.
        marker = conn.execute("SELECT (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text").fetchone()[0]
        conn.execute("SELECT set_config('pgattest.tenant_xact', %s, false)", (marker,))
        conn.commit()
        assert visible_tenants(conn) == []
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT core.require_tenant()")
        conn.rollback()
        # The tenant set in the transaction counts, whatever the session holds.
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert visible_tenants(conn) == [tenant]


def test_tenant_context_reaches_parallel_workers(db, tenant_factory):
    """The marker is the transaction's start time, which parallel workers share (a pid would not)."""
    tenant = tenant_factory("par")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SET LOCAL debug_parallel_query = on" if conn.info.server_version >= 160000
                     else "SET LOCAL force_parallel_mode = on")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        assert conn.execute("SELECT count(*) FROM core.tenants").fetchone() == (1,)
        assert conn.execute("SELECT core.current_tenant()").fetchone() == (tenant,)


def test_retired_tenant_reads_and_writes_nothing(db, admin_conn, tenant_factory):
    tenant = tenant_factory("retired")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        admin_conn.execute("UPDATE core.tenants SET active = false WHERE tenant_id = %s", (tenant,))
        # Already inside a transaction that set it: the next statement sees no tenant.
        assert conn.execute("SELECT core.current_tenant()").fetchone() == (None,)
        assert visible_tenants(conn) == []
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not available"):
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT attestor.submit_envelope('{}'::jsonb)")


def test_logins_bound_to_tenants(db, admin_conn, tenant_factory):
    a, b = tenant_factory("bound-a"), tenant_factory("bound-b")
    login = f"svc_{secrets.token_hex(4)}"
    admin_conn.execute(f"CREATE ROLE {login} LOGIN IN ROLE pgattest_app")
    try:
        dsn = psycopg.conninfo.make_conninfo(db, user=login)

        def can_set(tenant):
            with psycopg.connect(dsn) as conn:
                try:
                    conn.execute("SELECT core.set_tenant(%s)", (tenant,))
                except psycopg.errors.InsufficientPrivilege:
                    return False
                # Setting the raw settings in the same transaction gains nothing either.
                return visible_tenants(conn) == [tenant]

        assert can_set(a) and can_set(b), "an unbound login may act for any active tenant"
        with psycopg.connect(db, autocommit=True) as adm:
            adm.execute("SET ROLE pgattest_admin")
            assert adm.execute("SELECT core.grant_tenant(%s, %s)", (login, a)).fetchone() == (True,)
            assert adm.execute("SELECT core.grant_tenant(%s, %s)", (login, a)).fetchone() == (False,)
            with pytest.raises(psycopg.errors.InvalidParameterValue):
                adm.execute("SELECT core.grant_tenant('no_such_login_x', %s)", (a,))
            with pytest.raises(psycopg.errors.ForeignKeyViolation):
                adm.execute("SELECT core.grant_tenant(%s, 'no-such-tenant')", (login,))
        assert can_set(a) and not can_set(b), "a bound login acts only for its tenants"
        with psycopg.connect(dsn) as conn:  # set_config behind set_tenant's back: still bound
            conn.execute("SELECT core.set_tenant(%s)", (a,))
            conn.execute("SELECT set_config('app.tenant_id', %s, true)", (b,))
            assert conn.execute("SELECT core.current_tenant()").fetchone() == (None,)
            assert visible_tenants(conn) == []
        with psycopg.connect(db, autocommit=True) as adm:
            adm.execute("SET ROLE pgattest_admin")
            assert adm.execute("SELECT core.revoke_tenant(%s, %s)", (login, a)).fetchone() == (True,)
            assert adm.execute("SELECT core.revoke_tenant(%s, %s)", (login, a)).fetchone() == (False,)
        assert can_set(b), "with its last binding revoked the login is unbound again"
        with psycopg.connect(dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT core.grant_tenant(%s, %s)", (login, b))
    finally:
        admin_conn.execute("DELETE FROM core.tenant_logins WHERE login = %s", (login,))
        admin_conn.execute(f"DROP ROLE {login}")


def test_pgbouncer_session_level_tenant_does_not_poison_the_pool(pgbouncer, tenant_factory):
    """One client leaves a session-level tenant on the only server connection; every later
    client that sets no tenant still sees nothing (issue 15: 40 of 40 saw it before)."""
    tenant = tenant_factory("poison")
    with psycopg.connect(pgbouncer, prepare_threshold=None, autocommit=True) as attacker:
        attacker.execute("SELECT set_config('app.tenant_id', %s, false)", (tenant,))
        attacker.execute(f"SET app.tenant_id = '{tenant}'")
        pid = attacker.execute("SELECT pg_backend_pid()").fetchone()[0]
    for _ in range(5):
        with psycopg.connect(pgbouncer, prepare_threshold=None) as victim:
            victim.execute("SET LOCAL ROLE pgattest_app")
            assert victim.execute("SELECT pg_backend_pid()").fetchone()[0] == pid
            assert victim.execute("SELECT current_setting('app.tenant_id', true)").fetchone() == (tenant,)
            assert victim.execute("SELECT core.current_tenant()").fetchone() == (None,)
            assert visible_tenants(victim) == []
            victim.commit()
