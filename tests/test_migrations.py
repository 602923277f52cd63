"""Sqitch migrations: deploy, revert, deploy again; every verify script fails without its change."""

import re
import subprocess
from pathlib import Path

import psycopg
import pytest

from ops import cluster

ROOT = Path(__file__).resolve().parents[1]


def plan_changes():
    """Change names in plan order (pragmas, tags and comments skipped)."""
    names = []
    for line in (ROOT / "sqitch.plan").read_text().splitlines():
        line = line.strip()
        if line and line[0] not in "%@#":
            names.append(line.split()[0])
    return names


def plan_instances():
    """(reference, verify script) per change line in plan order. A reworked change's
    earlier instances are name@tag (the tag after them) with verify/name@tag.sql; the
    latest is name@HEAD with verify/name.sql."""
    lines = [l.strip() for l in (ROOT / "sqitch.plan").read_text().splitlines()]
    entries = [l.split()[0] for l in lines if l and l[0] not in "%#"]
    names = [e for e in entries if not e.startswith("@")]
    out = []
    for i, entry in enumerate(entries):
        if entry.startswith("@"):
            continue
        if names.count(entry) == 1:
            out.append((entry, entry))
            continue
        later = entries[i + 1:]
        if entry in later:  # an earlier instance: named by the first tag after it
            tag = next(e for e in later if e.startswith("@"))
            out.append((f"{entry}{tag}", f"{entry}{tag}"))
        else:
            out.append((f"{entry}@HEAD", entry))
    return out


def uri(server, dbname):
    return cluster.uri_from_dsn(server, dbname)


def run_verify_script(dsn, script):
    return subprocess.run(["psql", dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f",
                           str(ROOT / "verify" / f"{script}.sql")], capture_output=True, text=True)


def run_revert_script(dsn, script):
    return subprocess.run(["psql", dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f",
                           str(ROOT / "revert" / f"{script}.sql")], capture_output=True, text=True)


def test_every_change_has_deploy_revert_and_verify():
    for _, script in plan_instances():
        for kind in ("deploy", "revert", "verify"):
            assert (ROOT / kind / f"{script}.sql").is_file(), f"{kind}/{script}.sql is missing"


def test_plan_has_no_duplicate_change_without_rework():
    names = plan_changes()
    reworked = {n for n in names if names.count(n) > 1}
    for name in reworked:
        assert list(ROOT.glob(f"deploy/{name}@*.sql")), f"{name} appears twice but was not reworked"


@pytest.mark.slow
def test_deploy_revert_all_and_deploy_again(server, fresh_db):
    """A partial revert keeps the rows of the tables it leaves; a whole revert removes the
    module schemas; deploying again verifies. (One database and one redeploy for both: a
    redeploy costs as much as a deploy. Deploying over kept rows, every module populated, is the business of
    tests/resilience/test_revert_deploy.py.)"""
    name, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT core.register_tenant('keep-me', 'Data that must survive')")
    cluster.sqitch(["revert", "-y", "--to", "core/tenants"], uri(server, name))
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("SELECT display_name FROM core.tenants WHERE tenant_id = 'keep-me'").fetchone() == \
            ("Data that must survive",)
        assert conn.execute("SELECT to_regprocedure('core.register_tenant(text, text)')").fetchone()[0] is None, \
            "the partial revert must have reverted what came after core/tenants"
    cluster.sqitch(["revert", "-y"], uri(server, name))
    with psycopg.connect(dsn, autocommit=True) as conn:
        left = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname IN ('core', 'proofchain', '_pgattest')").fetchone()[0]
        assert left == 0, "revert to the start must remove the module schemas"
    cluster.sqitch(["deploy", "--verify"], uri(server, name))
    out = cluster.sqitch(["verify"], uri(server, name))
    assert "Verify successful" in out.stdout


@pytest.mark.slow
def test_each_verify_script_fails_once_its_change_is_reverted(server, fresh_db):
    """Walk the plan downwards: revert one change, then its verify script must raise.

    Each change's revert script is run with psql, as sqitch runs it, without sqitch's own
    bookkeeping: a sqitch process per change cost more than all the scripts together, and
    sqitch's one-by-one revert is what test_deploy_revert_all_and_deploy_again checks. The
    registry is left behind; the database is thrown away."""
    name, dsn = fresh_db()
    instances = plan_instances()
    for i in reversed(range(len(instances))):
        ref, change = instances[i]
        ok = run_verify_script(dsn, change)
        assert ok.returncode == 0, f"verify/{change}.sql fails while {ref} is deployed:\n{ok.stderr}"
        reverted = run_revert_script(dsn, change)
        assert reverted.returncode == 0, f"revert/{change}.sql failed:\n{reverted.stderr}"
        broken = run_verify_script(dsn, change)
        if broken.returncode == 0 and change == "roles":
            # Roles are cluster-wide: the revert keeps them while another database on
            # this server still uses them, and then verify rightly passes. Prove that
            # is the reason, rather than accepting a verify that cannot fail.
            with psycopg.connect(dsn, autocommit=True) as conn:
                used_elsewhere = conn.execute(
                    """SELECT count(*) FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid
                        WHERE r.rolname LIKE 'pgattest\\_%' AND d.dbid NOT IN (0, (SELECT oid FROM pg_database
                                                                  WHERE datname = current_database()))""").fetchone()[0]
                outside_members = conn.execute(
                    """SELECT count(*) FROM pg_auth_members am JOIN pg_roles r ON r.oid = am.roleid
                         JOIN pg_roles m ON m.oid = am.member
                        WHERE r.rolname LIKE 'pgattest\\_%' AND m.rolname NOT LIKE 'pgattest\\_%'""").fetchone()[0]
            assert used_elsewhere + outside_members > 0, \
                "roles survived revert with no other database using them and no outside role a member"
            continue
        assert broken.returncode != 0, f"verify/{change}.sql still passes after reverting {change}"
        assert "ERROR" in broken.stderr


def test_verify_fails_against_a_broken_database(server, fresh_db):
    """A deployed database whose objects were tampered with fails `sqitch verify`."""
    name, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("GRANT EXECUTE ON FUNCTION core.register_tenant(text, text) TO pgattest_app")
    proc = cluster.sqitch(["verify"], uri(server, name), check=False)
    assert proc.returncode != 0
    assert "pgattest_app must not execute core.register_tenant" in proc.stdout + proc.stderr


def test_roles_revert_keeps_a_role_that_outside_logins_are_members_of(server, fresh_db):
    """A service login granted pgattest_app must not silently lose its grant to a revert:
    the role stays, and the revert says why. Run inside a transaction that rolls back."""
    _, dsn = fresh_db()
    script = (ROOT / "revert" / "roles.sql").read_text().replace("BEGIN;", "").replace("COMMIT;", "")
    notices = []
    with psycopg.connect(dsn) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary))
        conn.execute("CREATE ROLE mig_outside_login LOGIN IN ROLE pgattest_app")
        conn.execute(script)
        kept = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'pgattest_app'").fetchone()[0]
        member = conn.execute("SELECT pg_has_role('mig_outside_login', 'pgattest_app', 'MEMBER')").fetchone()[0]
        conn.rollback()
    assert kept == 1 and member
    assert any("pgattest_app kept" in n and "mig_outside_login" in n for n in notices), notices


def plan_requires():
    """{change: [required changes]} of the latest instance of every change."""
    out = {}
    for line in (ROOT / "sqitch.plan").read_text().splitlines():
        line = line.strip()
        if line and line[0] not in "%@#":
            m = re.match(r"^(\S+)(?:\s+\[([^\]]*)\])?", line)
            out[m.group(1)] = [d for d in (m.group(2) or "").split() if "@" not in d]
    return out


MODULE_REF = re.compile(r"\b(core|attestor|proofchain|vex|vexhub|verdict|trustverdict|watchlist|unknowns|triage|audit"
                        r"|health|_pgattest)\.([a-z_][a-z_0-9]*)")


def names_used(script):
    """The changes a deploy script names objects of: every schema.object outside comments
    and string literals (messages and hints name functions they do not call) whose name
    is a change of the plan."""
    text = re.sub(r"--[^\n]*", "", script)
    text = re.sub(r"'(?:[^']|'')*'", "''", text)
    return {f"{schema}/{name}" for schema, name in MODULE_REF.findall(text)}


def test_every_change_requires_the_changes_whose_objects_it_uses():
    """Sqitch deploys in plan order and does not know what a script uses: a change that
    names another change's object must say so in [requires], or a reordered plan (or a
    rework) breaks at deploy time."""
    requires = plan_requires()
    missing = []
    for change, deps in requires.items():
        if change == "_pgattest/pylib":  # Python source: its dotted names are modules, not SQL objects
            continue
        used = names_used((ROOT / "deploy" / f"{change}.sql").read_text()) & set(requires)
        missing += [f"{change} uses {other} without requiring it" for other in sorted(used - set(deps) - {change})]
    assert not missing, "\n".join(missing)


def test_the_requires_check_sees_a_use_and_ignores_comments_and_messages():
    script = """-- see vex.merge
    SELECT attestor.claim_submissions('w'); RAISE EXCEPTION 'call core.register_tenant first';"""
    assert names_used(script) == {"attestor/claim_submissions"}
