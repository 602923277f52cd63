"""Resilience 6: `sqitch revert` and `deploy` on a populated database lose nothing.

The database is the private cluster's, after the other scenarios (queue items, stored
entries, split logs, fuzzing's tenant) and tests.support.populate (every module: the demo,
unknowns, the verdict ledger, trust verdicts, watchlist rules, identities and alerts, SBOM
spines, VEX issuers, triage, audit events). A full revert drops every table, so "revert and
deploy" is: revert to the last table change of v1.0.0, vex/observation_submissions (every
API function of v1.0.0 and every change since, tables included), then deploy the plan
again. Checked:
  - the tables the revert dropped are exactly the tables (and their partitions) whose
    changes it reverted;
  - every table that survives keeps its rows, column for column, through the revert (the
    columns later changes added go with them; the library table holds v1.0.0's code);
  - after the deploy every table is back, and every table the revert kept holds exactly
    what it held before, whole rows, library included.
The rows of the tables that were dropped are gone: that is what reverting a table's change
means (README, "Deploying with Sqitch"); the count is printed.
Runs last in the suite (the database is not usable while reverted). The revert point is
PGATTEST_RESILIENCE_REVERT_TO, a change or a tag (default vex/observation_submissions;
@v1.0.0 reverts only what came after the release)."""

import os
import time
from pathlib import Path

import psycopg
import pytest

from ops import cluster
from tests.support.db_snapshot import fingerprint, partitions, table_columns, table_contents, table_rows
from tests.support.populate import populate_every_module

pytestmark = pytest.mark.resilience

ROOT = Path(__file__).resolve().parents[2]
REVERT_TO = os.environ.get("PGATTEST_RESILIENCE_REVERT_TO", "vex/observation_submissions")


def changes_after(point):
    """Names of the plan's changes first added after the point (a tag given as @name, or a
    change): a rework of an earlier change reverts to its earlier version, it does not undo it."""
    names, earlier, seen = [], set(), False
    for line in (ROOT / "sqitch.plan").read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "%#":
            continue
        if line.startswith("@"):
            seen = seen or line.split()[0] == point
            continue
        name = line.split()[0]
        if not seen:
            earlier.add(name)
            seen = name == point
        elif name not in earlier:
            names.append(name)
    assert seen, f"no tag or change {point} in sqitch.plan"
    return names


def test_revert_and_deploy_on_a_populated_database_lose_nothing(private_pg, record):
    db = private_pg.dsn
    uri = cluster.uri_from_dsn(private_pg.admin, private_pg.dbname)
    populate_every_module(db)
    before, before_cols, parent, before_rows = table_contents(db), table_columns(db), partitions(db), table_rows(db)
    empty = sorted(t for t, (n, _) in before.items() if n == 0)
    modules = {t.split(".")[0] for t, (n, _) in before.items() if n > 0}
    assert {"core", "attestor", "proofchain", "vex", "vexhub", "verdict", "trustverdict", "watchlist", "audit",
            "unknowns", "_pgattest", "health"} <= modules, f"a module without rows: {sorted(modules)}"
    reverted = set(changes_after(REVERT_TO))

    began = time.time()
    cluster.sqitch(["revert", "-y", "--to", REVERT_TO], uri)
    revert_s = time.time() - began
    with psycopg.connect(db, autocommit=True) as conn:
        api_left = conn.execute("""SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                    WHERE n.nspname IN ('attestor', 'vex') AND p.prokind = 'f'""").fetchone()[0]
    if not REVERT_TO.startswith("@"):
        assert api_left == 0, "reverting to the tables should have removed the attestor and vex functions"
    mid_cols = table_columns(db)
    common = {t: [c for c in before_cols[t] if c in mid_cols[t]] for t in mid_cols if t in before_cols}
    mid_rows = table_rows(db)
    dropped = set(before) - set(mid_cols)
    created_by_reverted = {t for t in before if parent.get(t, t).replace(".", "/", 1) in reverted}
    assert dropped == created_by_reverted, (
        f"dropped but not reverted: {sorted(dropped - created_by_reverted)}; "
        f"reverted but kept: {sorted(created_by_reverted - dropped)}")
    assert set(mid_cols) <= set(before_cols), f"the revert made tables: {sorted(set(mid_cols) - set(before_cols))}"
    changed = sorted(t for t in mid_rows if t != "_pgattest.pylib"
                     and fingerprint(mid_rows[t], common[t]) != fingerprint(before_rows[t], common[t]))
    assert not changed, f"the revert changed the rows of {changed}"
    columns_dropped = sum(len(before_cols[t]) - len(common[t]) for t in common)

    began = time.time()
    cluster.sqitch(["deploy", "--verify"], uri)
    deploy_s = time.time() - began
    after = table_contents(db)
    assert set(after) == set(before), f"tables not back: {sorted(set(before) - set(after))}"
    lost = sorted(t for t in mid_rows if after[t] != before[t])
    rows_dropped = sum(before[t][0] for t in dropped)
    record("revert_deploy", revert_to=REVERT_TO, tables=len(before), populated=len(before) - len(empty),
           rows=sum(n for n, _ in before.values()), reverted_changes=len(reverted), tables_dropped=len(dropped),
           rows_in_dropped_tables=rows_dropped, columns_dropped=columns_dropped, kept_tables=len(mid_rows),
           revert_s=round(revert_s, 1), deploy_s=round(deploy_s, 1), lost=len(lost), duplicated=sum(max(0, after[t][0] - before[t][0]) for t in mid_rows))
    assert not lost, f"deploying again changed the rows of {lost}"
    assert rows_dropped > 0, "the reverted tables held no rows: the scenario proved nothing about them"

