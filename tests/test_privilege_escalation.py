"""Privilege escalation through what pgattest installs besides its own API (review of
2026-11-30, items 1 and 5): the periods extension's SECURITY DEFINER functions, and the
functions event triggers run as whoever issues DDL.

Every test here works on a fresh copy of the deployed plan: before the fixes the attacks
succeed, and they would wreck the shared session database."""

import psycopg
import pytest
from psycopg import errors

from pgattest import errors as codes
from tests.support.logins import Logins


@pytest.fixture
def copy(fresh_db):
    """(dsn, login): a fresh deployed database, and login(group) -> DSN of a new LOGIN role
    that is a member of pgattest_<group> (group None: of no pgattest role at all)."""
    _, dsn = fresh_db()
    logins = Logins(dsn, "sec")
    yield dsn, lambda group: logins.make(group)[1]
    logins.close()


def versioning_intact(conn):
    return conn.execute(
        """SELECT (SELECT count(*) FROM periods.system_versioning
                    WHERE table_name = 'unknowns.unknowns'::regclass
                      AND history_table_name = 'unknowns.unknowns_history'::regclass),
                  to_regclass('unknowns.unknowns_history') IS NOT NULL,
                  to_regclass('unknowns.unknowns_with_history') IS NOT NULL,
                  (SELECT count(*) FROM periods.system_time_periods WHERE table_name = 'trustverdict.verdicts'::regclass)
        """).fetchone()


# The review's repro first, then the same route into other tables.
PERIODS_ATTACKS = [
    """SELECT periods.drop_system_versioning(c.oid, 'CASCADE', true)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'unknowns' AND c.relname = 'unknowns'""",
    "SELECT periods.drop_system_versioning('unknowns.unknowns'::regclass, 'CASCADE', true)",
    "SELECT periods.drop_system_time_period('unknowns.unknowns'::regclass, 'CASCADE', true)",
    "SELECT periods.add_system_time_period('trustverdict.verdicts'::regclass)",
    "SELECT periods.add_period('trustverdict.verdicts'::regclass, 'p', 'created_at', 'updated_at')",
    # Reading periods' catalog (which tables are versioned, into which history) needs the schema.
    "SELECT count(*) FROM periods.system_versioning",
]


@pytest.mark.parametrize("group", [None, "app", "worker", "admin", "owner"])
def test_no_login_can_drop_or_add_system_versioning_through_periods(copy, group):
    dsn, login = copy
    with psycopg.connect(dsn, autocommit=True) as su:
        before = versioning_intact(su)
    assert before == (1, True, True, 0)
    with psycopg.connect(login(group), autocommit=True) as conn:
        if group == "owner":
            conn.execute("SET ROLE pgattest_owner")  # the group role itself, not only its member
        for sql in PERIODS_ATTACKS:
            with pytest.raises(errors.InsufficientPrivilege) as exc:
                conn.execute(sql)
            assert exc.value.sqlstate == codes.INSUFFICIENT_PRIVILEGE
    with psycopg.connect(dsn, autocommit=True) as su:
        assert versioning_intact(su) == before, "the history of unknowns or trustverdict.verdicts was changed"


def test_the_periods_triggers_still_version_writes_made_through_the_api(copy):
    """Revoking EXECUTE and USAGE from PUBLIC must not stop what periods does for us:
    its triggers (which need no EXECUTE to fire) and the view and functions it made."""
    dsn, login = copy
    with psycopg.connect(dsn, autocommit=True) as su:
        su.execute("SELECT core.register_tenant('sec-unk', 'x')")
    with psycopg.connect(login("app")) as conn:
        conn.execute("SELECT core.set_tenant('sec-unk')")
        uid = conn.execute("SELECT unknowns.record('missing_sbom', 'pkg:npm/a@1', 'no SBOM', '{}', "
                           "'2026-01-01', 'infinity')").fetchone()[0]
        conn.commit()
        conn.execute("SELECT core.set_tenant('sec-unk')")
        conn.execute("SELECT count(*) FROM unknowns.resolve(%s, 'wont_fix', '2026-02-01')", (uid,))
        conn.commit()
        conn.execute("SELECT core.set_tenant('sec-unk')")
        assert conn.execute("SELECT count(*) FROM unknowns.unknowns_history WHERE id = %s", (uid,)).fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM unknowns.unknowns_with_history WHERE id = %s", (uid,)).fetchone()[0] >= 2
        assert conn.execute("SELECT count(*) FROM unknowns.unknowns__as_of(now()) WHERE id = %s", (uid,)).fetchone()[0] >= 1


def event_trigger_functions(conn):
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT evtfoid::regprocedure::text FROM pg_event_trigger ORDER BY 1").fetchall()]


def test_pgattest_owner_cannot_change_what_an_event_trigger_runs(copy):
    """An event trigger runs its function as the user who issued the DDL, a superuser at
    every deploy: whoever can replace that function's body runs code as a superuser. The
    review's repro: pgattest_owner replaced _pgattest.version_history_columns, and the
    next ALTER TABLE by postgres ran it."""
    dsn, _ = copy
    payload = """CREATE OR REPLACE FUNCTION _pgattest.version_history_columns() RETURNS event_trigger
                 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
                 AS $$ BEGIN ALTER ROLE pgattest_owner SUPERUSER; END $$"""
    with psycopg.connect(dsn, autocommit=True) as conn:
        functions = event_trigger_functions(conn)
        assert "_pgattest.version_history_columns()" in functions
        conn.execute("SET ROLE pgattest_owner")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(payload)
        for fn in functions:  # periods' own too: no change at all by pgattest_owner
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(f"ALTER FUNCTION {fn} SET work_mem = '1MB'")
        conn.execute("RESET ROLE")
        # The superuser's next DDL: had the replace gone through, this made the owner a superuser.
        conn.execute("ALTER TABLE unknowns.unknowns ALTER COLUMN reason SET STATISTICS 0")
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = 'pgattest_owner'").fetchone() == (False,)
        owners = conn.execute(
            """SELECT p.oid::regprocedure::text, r.rolname, r.rolsuper FROM pg_event_trigger e
                 JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_roles r ON r.oid = p.proowner""").fetchall()
        assert all(su for _, _, su in owners), owners


def test_the_history_event_trigger_lets_any_role_run_its_own_ddl(copy):
    """The event trigger fires on every ALTER TABLE in the database, by anyone: it must not
    need anything PUBLIC no longer has (periods' schema), or every other role's DDL fails."""
    dsn, login = copy
    plain = login(None)
    with psycopg.connect(dsn, autocommit=True) as su:
        user = psycopg.conninfo.conninfo_to_dict(plain)["user"]
        su.execute(f'CREATE SCHEMA "{user}" AUTHORIZATION "{user}"')
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE TABLE "{user}".notes (id int)')
        conn.execute(f'ALTER TABLE "{user}".notes ADD COLUMN body text')
        assert conn.execute(f'SELECT count(*) FROM "{user}".notes').fetchone() == (0,)
