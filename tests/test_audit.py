"""The audit log (issue 18): one audit.events row per write of a tenant table, per tenant,
unforgeable, partitioned by month with every partition forced."""

from datetime import timezone

import psycopg
import pytest
from psycopg import errors

from tests.support.logins import Logins



@pytest.fixture
def login(db):
    """login(group) -> (name, DSN) of a new LOGIN role in pgattest_<group> (dropped afterwards)."""
    logins = Logins(db, "i18")
    yield logins.make
    logins.close()


def events(conn, tenant, table="vex.issuers"):
    conn.execute("SELECT core.set_tenant(%s)", (tenant,))
    return conn.execute(
        """SELECT operation, actor, actor_kind, login, request_id, row_id, old_values, new_values, txid::text
             FROM audit.events WHERE table_name = %s ORDER BY created_at, txid""", (table,)).fetchall()


def test_each_write_is_one_event_with_actor_request_and_changed_columns(db, tenant_factory, login):
    tenant = tenant_factory("aud")
    name, dsn = login("admin")
    with psycopg.connect(dsn) as conn:
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.execute("SELECT set_config('app.actor', 'alice@example.com', true), "
                     "set_config('app.request_id', 'req-42', true)")
        conn.execute("SELECT vex.set_issuer_trust('prov-a', 10, 0.25)")
        conn.execute("SELECT vex.set_issuer_trust('prov-a', 20, 0.25)")
        conn.commit()
        # Next transaction: no actor set, so the login is the actor; no request id.
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        conn.execute("SELECT vex.set_issuer_trust('prov-a', 20, 0.75)")
        conn.commit()
        rows = events(conn, tenant)
    assert [r[0] for r in rows] == ["INSERT", "UPDATE", "UPDATE"]
    ins, upd, upd2 = rows
    assert ins[1:5] == ("alice@example.com", "admin", name, "req-42")
    assert ins[6] is None and ins[7]["provider"] == "prov-a" and ins[7]["trust_tier"] == 10
    assert ins[5] == ins[7]["id"]
    # Only the changed columns (updated_at is kept current by its trigger).
    assert set(upd[6]) == {"trust_tier", "updated_at"} and upd[6]["trust_tier"] == 10
    assert upd[7]["trust_tier"] == 20
    assert ins[8] == upd[8], "events of one transaction share the transaction id"
    assert upd2[1:5] == (name, "admin", name, None)
    assert set(upd2[7]) == {"trust_weight", "updated_at"} and upd2[7]["trust_weight"] == 0.75
    assert upd2[8] != upd[8]


def test_multi_row_and_cross_tenant_statements_record_each_row_under_its_tenant(db, tenant_factory, admin_conn):
    a, b = tenant_factory("ma"), tenant_factory("mb")
    # As the superuser (no RLS): one statement writes rows of two tenants, as the worker does.
    admin_conn.execute("""INSERT INTO vex.issuers (tenant_id, provider, trust_tier)
                          VALUES (%s, 'p1', 1), (%s, 'p2', 2), (%s, 'p3', 3)""", (a, a, b))
    admin_conn.execute("UPDATE vex.issuers SET trust_tier = trust_tier + 1 WHERE tenant_id IN (%s, %s)", (a, b))
    admin_conn.execute("DELETE FROM vex.issuers WHERE tenant_id IN (%s, %s)", (a, b))
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        ra, rb = events(conn, a), events(conn, b)
    assert sorted(r[0] for r in ra) == ["DELETE"] * 2 + ["INSERT"] * 2 + ["UPDATE"] * 2
    assert sorted(r[0] for r in rb) == ["DELETE", "INSERT", "UPDATE"]
    assert {r[2] for r in ra} == {"superuser"}
    delete = next(r for r in rb if r[0] == "DELETE")
    assert delete[7] is None and delete[6]["provider"] == "p3" and delete[6]["trust_tier"] == 4


def test_an_application_reads_only_its_tenants_events(db, tenant_factory, login):
    a, b = tenant_factory("ia"), tenant_factory("ib")
    _, admin_dsn = login("admin")
    _, app_dsn = login("app")
    with psycopg.connect(admin_dsn) as conn:
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        conn.execute("SELECT vex.set_issuer_trust('secret-provider', 5)")
        conn.commit()
    with psycopg.connect(app_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM audit.events").fetchone() == (0,), "no tenant, no events"
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (b,))
        assert conn.execute("SELECT count(*) FROM audit.events WHERE tenant_id = %s", (a,)).fetchone() == (0,)
        conn.commit()
        conn.execute("SELECT core.set_tenant(%s)", (a,))
        assert conn.execute("SELECT count(*) FROM audit.events").fetchone() == (1,)


@pytest.mark.parametrize("group", ["app", "worker", "admin"])
def test_no_client_role_can_forge_change_or_delete_events(db, tenant_factory, login, admin_conn, group):
    tenant = tenant_factory("forge")
    admin_conn.execute("INSERT INTO vex.issuers (tenant_id, provider) VALUES (%s, 'x')", (tenant,))
    partition = admin_conn.execute(
        "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'audit.events'::regclass "
        "ORDER BY 1 LIMIT 1").fetchone()[0]
    _, dsn = login(group)
    attempts = [
        ("INSERT INTO audit.events (tenant_id, actor, actor_kind, table_name, operation, row_id) "
         "VALUES (%(t)s, 'mallory', 'app', 'vex.issuers', 'INSERT', '1')"),
        "UPDATE audit.events SET actor = 'mallory'",
        "DELETE FROM audit.events",
        "TRUNCATE audit.events",
        f"SELECT count(*) FROM {partition}",
        f"DELETE FROM {partition}",
        f"INSERT INTO {partition} (tenant_id, actor, actor_kind, table_name, operation, row_id) "
        "VALUES (%(t)s, 'mallory', 'app', 'x', 'INSERT', '1')",
        "SELECT _pgattest.audit_changes()",
        "SELECT _pgattest.audit_table('vex.issuers')",
    ]
    with psycopg.connect(dsn) as conn:
        for sql in attempts:
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(sql, {"t": tenant})
            conn.rollback()
    # Nor can the owner of every table (it gave up its write privileges).
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_owner")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO audit.events (tenant_id, actor, actor_kind, table_name, operation, row_id) "
                         "VALUES (%s, 'mallory', 'app', 'x', 'INSERT', '1')", (tenant,))
        conn.rollback()
        conn.execute("SET ROLE pgattest_owner")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f"DELETE FROM {partition}")
    assert admin_conn.execute("SELECT count(*) FROM audit.events WHERE tenant_id = %s AND actor = 'mallory'",
                              (tenant,)).fetchone() == (0,)
    assert admin_conn.execute("SELECT count(*) FROM audit.events WHERE tenant_id = %s", (tenant,)).fetchone() == (1,)


def test_calling_the_trigger_function_directly_is_refused(db):
    with psycopg.connect(db) as conn:  # even the superuser: it only runs as a trigger
        with pytest.raises(errors.FeatureNotSupported):
            conn.execute("SELECT _pgattest.audit_changes()")


def test_maintain_partitions_creates_ahead_forced_and_drops_or_detaches_expired(db, login, admin_conn):
    _, worker_dsn = login("worker")
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        conn.execute("SELECT * FROM audit.maintain_partitions(6)").fetchall()
        again = conn.execute("SELECT * FROM audit.maintain_partitions(6)").fetchall()
        assert [r for r in again if r[1] == "created"] == [], "creation is idempotent"
        for bad in ("SELECT * FROM audit.maintain_partitions(25)", "SELECT * FROM audit.maintain_partitions(-1)",
                    "SELECT * FROM audit.maintain_partitions(3, 0)"):
            with pytest.raises(errors.InvalidParameterValue):
                conn.execute(bad)
    parts = admin_conn.execute(
        """SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity,
                  (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'),
                  (SELECT count(*) FROM aclexplode(c.relacl) x WHERE x.grantee <> c.relowner)
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit.events'::regclass ORDER BY 1""").fetchall()
    assert len(parts) >= 7
    assert all(p[1] and p[2] == 1 and p[3] == 0 for p in parts), parts
    # Two old months, with an event each, then retention of one month.
    for month in ("2020-01", "2020-02"):
        name = "events_" + month.replace("-", "m")
        admin_conn.execute(f"""CREATE TABLE audit.{name} PARTITION OF audit.events
                               FOR VALUES FROM ('{month}-01 00:00+00') TO (('{month}-01 00:00+00'::timestamptz + interval '1 month'))""")
        admin_conn.execute(f"ALTER TABLE audit.{name} OWNER TO pgattest_owner")
    with psycopg.connect(db) as conn:
        conn.execute("SET pgattest.audit_detach_expired = 1")
        conn.execute("SET ROLE pgattest_worker")
        assert conn.execute("SELECT * FROM audit.maintain_partitions(3, 1) WHERE action <> 'created'").fetchall() == \
            [("audit.events_2020m01", "detached"), ("audit.events_2020m02", "detached")]
        conn.commit()
    assert admin_conn.execute("SELECT to_regclass('audit.events_2020m01') IS NOT NULL, "
                              "EXISTS (SELECT FROM pg_inherits WHERE inhrelid = 'audit.events_2020m01'::regclass)"
                              ).fetchone() == (True, False)
    admin_conn.execute("DROP TABLE audit.events_2020m01, audit.events_2020m02")
    admin_conn.execute("""CREATE TABLE audit.events_2020m03 PARTITION OF audit.events
                          FOR VALUES FROM ('2020-03-01 00:00+00') TO ('2020-04-01 00:00+00')""")
    admin_conn.execute("ALTER TABLE audit.events_2020m03 OWNER TO pgattest_owner")
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        assert conn.execute("SELECT * FROM audit.maintain_partitions(3, 1) WHERE action <> 'created'").fetchall() == \
            [("audit.events_2020m03", "dropped")]
    assert admin_conn.execute("SELECT to_regclass('audit.events_2020m03')").fetchone() == (None,)
    # The current month survives any retention.
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        assert conn.execute("SELECT * FROM audit.maintain_partitions(0, 1) WHERE action <> 'created'").fetchall() == []


def test_an_update_changing_a_rows_key_records_both_whole_rows(db, tenant_factory, admin_conn):
    tenant = tenant_factory("key")
    old_id = admin_conn.execute("INSERT INTO vex.issuers (tenant_id, provider) VALUES (%s, 'k') RETURNING id::text",
                                (tenant,)).fetchone()[0]
    new_id = admin_conn.execute("UPDATE vex.issuers SET id = gen_random_uuid() WHERE tenant_id = %s RETURNING id::text",
                                (tenant,)).fetchone()[0]
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        rows = [r for r in events(conn, tenant) if r[0] == "UPDATE"]
    assert sorted((r[5], r[6] is None, r[7] is None) for r in rows) == sorted(
        [(old_id, False, True), (new_id, True, False)])
    assert all((r[6] or r[7])["provider"] == "k" for r in rows)


# ---- review of 2026-11-30, items 3 and 4 ------------------------------------------------

MONTH_START = "date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


@pytest.fixture
def fresh_copy(fresh_db):
    """(dbname, dsn, login): a fresh deployed database (these tests drop partitions and
    change database settings) and login(group, **params) -> DSN of a new LOGIN role in
    pgattest_<group>, extra connection parameters added."""
    name, dsn = fresh_db()
    logins = Logins(dsn, "i18")
    yield name, dsn, lambda group, **extra: logins.make(group, **extra)[1]
    logins.close()


def make_old_partition(admin, months_ago):
    """A partition of audit.events for the month months_ago before the current one, as
    maintain_partitions would have made it then; returns its qualified name."""
    start = admin.execute(f"SELECT {MONTH_START} - make_interval(months => %s)", (months_ago,)).fetchone()[0]
    start = start.astimezone(timezone.utc)
    name = f"audit.events_{start:%Y}m{start:%m}"
    admin.execute(f"""CREATE TABLE {name} PARTITION OF audit.events
                      FOR VALUES FROM ('{start.isoformat()}') TO ('{start.isoformat()}'::timestamptz + interval '1 month')""")
    admin.execute(f"ALTER TABLE {name} OWNER TO pgattest_owner")
    return name


def expired(conn, sql):
    return sorted(r for r in conn.execute(sql).fetchall() if r[1] != "created")


def test_no_caller_shortens_retention_below_the_database_setting(fresh_copy):
    """The worker (granted maintain_partitions) erased audit months by passing
    retention_months 1 (review item 4). The retention is the larger of the argument and
    the database's pgattest.audit_retention_months (13 unset): not an argument, nor a
    session setting, nor a connection option may shorten it; the argument lengthens it;
    ALTER DATABASE changes it."""
    dbname, dsn, login = fresh_copy
    with psycopg.connect(dsn, autocommit=True) as admin:
        young = make_old_partition(admin, 5)   # younger than the 13-month setting
        old = make_old_partition(admin, 20)    # older
    with psycopg.connect(login("worker"), autocommit=True) as conn:
        assert expired(conn, "SELECT * FROM audit.maintain_partitions(0, 24)") == [], \
            "a longer retention than the setting keeps both"
        conn.execute("SET pgattest.audit_retention_months = 1")
        assert expired(conn, "SELECT * FROM audit.maintain_partitions(0, 1)") == [(old, "dropped")]
        assert expired(conn, "SELECT * FROM audit.maintain_partitions()") == []
    # Nothing set anywhere: the default, 13 months.
    with psycopg.connect(dsn, autocommit=True) as admin:
        older = make_old_partition(admin, 30)
    with psycopg.connect(login("worker"), autocommit=True) as conn:
        assert expired(conn, "SELECT * FROM audit.maintain_partitions()") == [(older, "dropped")]
    # A connection option is a session setting too.
    with psycopg.connect(login("worker", options="-c pgattest.audit_retention_months=1"), autocommit=True) as conn:
        assert conn.execute("SHOW pgattest.audit_retention_months").fetchone() == ("1",)
        assert expired(conn, "SELECT * FROM audit.maintain_partitions(0, 1)") == []
    with psycopg.connect(dsn, autocommit=True) as admin:
        assert admin.execute("SELECT to_regclass(%s) IS NOT NULL", (young,)).fetchone() == (True,)
        # The operator's setting is what shortens it.
        admin.execute(f'ALTER DATABASE "{dbname}" SET pgattest.audit_retention_months = 3')
    with psycopg.connect(login("worker"), autocommit=True) as conn:
        conn.execute("SET pgattest.audit_retention_months = 24")  # a session may keep more
        assert expired(conn, "SELECT * FROM audit.maintain_partitions()") == []
        conn.execute("RESET pgattest.audit_retention_months")
        assert expired(conn, "SELECT * FROM audit.maintain_partitions()") == [(young, "dropped")]


def test_partitions_made_at_run_time_show_no_tenant_data_through_explain(fresh_copy):
    """Review item 3: SET STATISTICS 0 on audit.events is not inherited by partitions made
    later, so one ANALYZE of a partition maintain_partitions made put a tenant's actor in
    the planner's estimates, which EXPLAIN shows to every other tenant."""
    _, dsn, login = fresh_copy
    with psycopg.connect(login("worker"), autocommit=True) as conn:
        made = [r[0] for r in conn.execute("SELECT * FROM audit.maintain_partitions(6)").fetchall() if r[1] == "created"]
    assert made, "maintain_partitions(6) made no partition at run time"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT core.register_tenant('secret-tenant', 'x'), core.register_tenant('probe-tenant', 'y')")
        at = admin.execute(f"SELECT {MONTH_START} + interval '6 months' + interval '3 days'").fetchone()[0]
        admin.execute("""INSERT INTO audit.events (tenant_id, created_at, actor, actor_kind, table_name, operation, row_id)
                         SELECT 'secret-tenant', %s, 'alice@secret', 'app', 'vex.issuers', 'INSERT', g::text
                           FROM generate_series(1, 5000) g""", (at,))
        part = admin.execute("SELECT tableoid::regclass::text FROM audit.events WHERE actor = 'alice@secret' LIMIT 1"
                             ).fetchone()[0]
        assert part in made
        admin.execute("ANALYZE audit.events")
        assert admin.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (part,)).fetchone()[0] > 4000, \
            "ANALYZE did not sample the partition"
        assert admin.execute("SELECT count(*) FROM pg_statistic WHERE starelid = %s::regclass", (part,)
                             ).fetchone() == (0,), "ANALYZE kept value statistics of the new partition"
    with psycopg.connect(login("app")) as conn:
        conn.execute("SELECT core.set_tenant('probe-tenant')")

        def estimate(actor):
            plan = conn.execute("EXPLAIN (FORMAT JSON) SELECT * FROM audit.events WHERE actor = %s",
                                (actor,)).fetchone()[0]
            return plan[0]["Plan"]["Plan Rows"]

        assert estimate("alice@secret") == estimate("nobody@probe"), \
            "the estimate depends on another tenant's data"
