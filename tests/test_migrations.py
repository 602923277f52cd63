"""Sqitch migrations: deploy, revert, deploy again; every verify script fails without its change."""

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
    name, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT core.register_tenant('mig-tenant', 'Migration tenant')")
    cluster.sqitch(["revert", "-y"], uri(server, name))
    with psycopg.connect(dsn, autocommit=True) as conn:
        left = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname IN ('core', 'proofchain', '_pgattest')").fetchone()[0]
        assert left == 0, "revert to the start must remove the module schemas"
    cluster.sqitch(["deploy", "--verify"], uri(server, name))
    out = cluster.sqitch(["verify"], uri(server, name))
    assert "Verify successful" in out.stdout


@pytest.mark.slow
def test_each_verify_script_fails_once_its_change_is_reverted(server, fresh_db):
    """Walk the plan downwards: revert one change, then its verify script must raise."""
    name, dsn = fresh_db()
    instances = plan_instances()
    for i in reversed(range(len(instances))):
        ref, change = instances[i]
        ok = run_verify_script(dsn, change)
        assert ok.returncode == 0, f"verify/{change}.sql fails while {ref} is deployed:\n{ok.stderr}"
        # One change at a time (@HEAD^): a name@tag reference stops resolving once its tag is reverted.
        cluster.sqitch(["revert", "-y", "--to", "@HEAD^"] if i else ["revert", "-y"], uri(server, name))
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
            assert used_elsewhere > 0, "roles survived revert with no other database using them"
            continue
        assert broken.returncode != 0, f"verify/{change}.sql still passes after reverting {change}"
        assert "ERROR" in broken.stderr


@pytest.mark.slow
def test_partial_revert_and_redeploy_keeps_data(server, fresh_db):
    name, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT core.register_tenant('keep-me', 'Data that must survive')")
    cluster.sqitch(["revert", "-y", "--to", "tenants"], uri(server, name))
    cluster.sqitch(["deploy", "--verify"], uri(server, name))
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("SELECT display_name FROM core.tenants WHERE tenant_id = 'keep-me'").fetchone() == \
            ("Data that must survive",)


def test_verify_fails_against_a_broken_database(server, fresh_db):
    """A deployed database whose objects were tampered with fails `sqitch verify`."""
    name, dsn = fresh_db()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("GRANT EXECUTE ON FUNCTION core.register_tenant(text, text) TO pgattest_app")
    proc = cluster.sqitch(["verify"], uri(server, name), check=False)
    assert proc.returncode != 0
    assert "pgattest_app must not execute core.register_tenant" in proc.stdout + proc.stderr
