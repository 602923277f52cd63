"""Issue 20: ./pgattest on someone else's server deploys and nothing more; the demo runs
there only when asked; compose's migration script does on a real server what compose
would do. The end-to-end test deploys the whole plan into a new database the way a user
would (DATABASE_URL=... ./pgattest), so it is as slow as a deploy (marked slow)."""

import os
import secrets
import subprocess

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from ops import cli, cluster, pooler
from tests.support.deploy_files import ROOT


def run(args, env, timeout=900):
    done = subprocess.run([str(ROOT / "pgattest"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout + done.stderr


def demo_rows(dsn):
    """What the demo leaves behind: its tenants, trust anchors, logs, queued envelopes."""
    with psycopg.connect(dsn) as conn:
        return conn.execute("""SELECT (SELECT count(*) FROM core.tenants WHERE tenant_id LIKE 'demo-%%'),
                                      (SELECT count(*) FROM proofchain.trust_anchors),
                                      (SELECT count(*) FROM attestor.transparency_logs),
                                      (SELECT count(*) FROM attestor.rekor_submission_queue)""").fetchone()


def as_url(dsn):
    params = conninfo_to_dict(dsn)
    auth = params.get("user", "postgres") + (f":{params['password']}" if params.get("password") else "")
    return f"postgresql://{auth}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{params['dbname']}"


@pytest.mark.slow
def test_an_existing_server_gets_the_plan_and_no_demo_unless_asked(server, tmp_path):
    name = f"pgattest_existing_{secrets.token_hex(3)}"
    dsn = cluster.create_database(server, name)        # the DBA creates the database first
    url = as_url(dsn)
    tag = secrets.token_hex(3)
    logins = (f"cs_{tag}", f"cw_{tag}")
    env = dict(os.environ, DATABASE_URL=url)
    try:
        out = run([], env)                              # DATABASE_URL=... ./pgattest
        assert "deploy only" in out
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT count(*) FROM sqitch.changes WHERE project = 'pgattest'").fetchone()[0] > 100
        assert demo_rows(url) == (0, 0, 0, 0), "the deploy wrote demo rows into someone else's database"

        out = run(["demo"], env)                        # asked for: the demo runs
        tenants, anchors, logs, queued = demo_rows(url)
        assert tenants == 2 and anchors > 0 and logs > 0 and queued > 0
        assert "== 1. An operator registers two tenants" in out

        run(["up", "--demo"], env)                      # deploy (nothing to do) and the demo again
        assert demo_rows(url)[0] == 2

        # compose's migration on this server: deploy (done), the logins, the pooler's auth file.
        userlist = tmp_path / "userlist.txt"
        migrate_env = dict(env, PGATTEST_USERLIST=str(userlist),
                           PGATTEST_SERVICE_LOGIN=logins[0], PGATTEST_SERVICE_PASSWORD="s-" + tag,
                           PGATTEST_WORKER_LOGIN=logins[1], PGATTEST_WORKER_PASSWORD="w-" + tag)
        params = conninfo_to_dict(dsn)
        if params.get("password"):
            migrate_env["PGPASSWORD"] = params["password"]
        done = subprocess.run([str(ROOT / "ops" / "compose" / "migrate.sh")], cwd=ROOT, env=migrate_env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        with psycopg.connect(url) as conn:
            roles = dict(conn.execute("""SELECT r.rolname, g.rolname FROM pg_auth_members m
                                           JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid
                                          WHERE r.rolname = ANY(%s)""", (list(logins),)).fetchall())
        assert roles == {logins[0]: "pgattest_app", logins[1]: "pgattest_worker"}
        text = userlist.read_text()
        assert all(f'"{login}" "SCRAM-SHA-256$' in text for login in logins)
        assert demo_rows(url)[0] == 2  # the migration ran no demo of its own
    finally:
        cluster.drop_database(server, name)
        with psycopg.connect(server, autocommit=True) as conn:
            for login in logins:
                conn.execute(f"DROP ROLE IF EXISTS {login}")


@pytest.mark.parametrize("embedded, args, demo", [
    (True, [], True),                 # ./pgattest: the embedded cluster, deploy and demo (the README's promise)
    (True, ["--no-demo"], False),
    (False, [], False),               # DATABASE_URL / PG*: deploy only
    (False, ["--demo"], True),        # ... unless asked
])
def test_up_runs_the_demo_only_on_the_embedded_cluster_or_when_asked(monkeypatch, embedded, args, demo):
    ran = []
    monkeypatch.setattr(cli, "target", lambda: ("dbname=x", "db:pg:///x", "somewhere", embedded))
    monkeypatch.setattr(cli, "sqitch", lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout="", stderr=""))
    monkeypatch.setattr(cli, "run_demo", lambda dsn: ran.append(dsn))
    assert cli.main(["up", *args]) == 0
    assert ran == (["dbname=x"] if demo else [])


def test_up_refuses_unknown_options(monkeypatch):
    monkeypatch.setattr(cli, "target", lambda: pytest.fail("must not touch a server"))
    assert cli.main(["up", "--demos"]) == 2


def test_userlist_refuses_a_login_that_is_not_a_superuser(server):
    """Reading SCRAM secrets needs pg_authid: a plain login gets a clear error, not a silent empty file."""
    tag = secrets.token_hex(3)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE ul_{tag} LOGIN")
    try:
        with pytest.raises(PermissionError, match="superuser"):
            pooler.userlist(psycopg.conninfo.make_conninfo(server, user=f"ul_{tag}"))
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP ROLE ul_{tag}")


def test_devlog_register_means_the_target_database(monkeypatch):
    """`./pgattest devlog --register` (compose, the embedded setup) is `python -m ops.devlog
    --register-dsn <the target>` (the tests): one program, one way to start it."""
    started = []
    monkeypatch.setattr(cli, "target", lambda: ("postgresql://postgres@db/pgattest", "", "", False))
    monkeypatch.setattr(cli, "_module", lambda name, args: started.append((name, args)) or 0)
    assert cli.main(["devlog", "--api", "v2", "--register", "--default"]) == 0
    assert started == [("ops.devlog", ["--api", "v2", "--default", "--register-dsn", "postgresql://postgres@db/pgattest"])]
