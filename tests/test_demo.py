"""The demo that `./pgattest` runs: it must run on a fresh deployment, run again on the
same one (as `./pgattest` does on every call), and show what each step claims."""

import subprocess
from pathlib import Path

from ops.cli import psql_cmd
from pgattest.errors import INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER

DEMO = Path(__file__).resolve().parents[1] / "ops" / "demo.sql"


def run_demo(dsn):
    done = subprocess.run([*psql_cmd(dsn), "-q", "-f", str(DEMO)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_the_demo_runs_twice_and_shows_its_claims(fresh_db):
    _name, dsn = fresh_db()
    first = run_demo(dsn)
    again = run_demo(dsn)
    for out in (first, again):
        assert " leaf0_included | wrong_leaf_included | four_is_prefix_of_five" in out
        assert " t              | f                   | t" in out
        assert f"submit_envelope(untrusted signer) -> SQLSTATE {INSUFFICIENT_PRIVILEGE}" in out
        assert f"ingest_openvex(not_affected without justification) -> SQLSTATE {INVALID_PARAMETER}" in out
        assert " under_investigation | affected            | analysis_complete" in out
        # The signed status change is queued for the log with its new observation, not yet linked.
        assert " pending        | affected | sha256:36380e3449e4428fe420d66190a0b0d3d0bacc27ab114252a5aa3a0f555246b6 | f" in out
    # The merge is deterministic: the second run gives the same effective status and digest.
    digest = [line for line in first.splitlines() if "| sha256:" in line and line.lstrip().startswith("affected")]
    assert len(digest) == 1 and digest[0] in again
    # The status update happens once: the second run finds the observation superseded.
    assert first.count("new_observation") == again.count("new_observation") == 1
    assert " added | removed | status_changed" in again and "     2 |       0 |              1" in again
