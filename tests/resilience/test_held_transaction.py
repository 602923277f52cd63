"""Resilience 4: a transaction left open (a REPEATABLE READ report that never commits) during
queue churn. The queue keeps working (every item submitted while it is open), vacuum cannot
remove the dead row versions the churn leaves, and health.check() reports the held xmin and
the old transaction against thresholds lowered with health.set_threshold; once it ends,
vacuum removes them and the check passes again. The README's operations section says what
to set against this (idle_in_transaction_session_timeout, alerting on xmin age).

Sizes: PGATTEST_RESILIENCE_HELD_ITEMS (default 600), one worker."""

import json
import os
import re
import time

import psycopg
import pytest

from tests.support.queue_helpers import Signer, new_tenant, register_log
from tests.support.resilience import DevLog, Workers, park_others, assert_clean, audit, states, submit_many, wait_until

pytestmark = pytest.mark.resilience

ITEMS = int(os.environ.get("PGATTEST_RESILIENCE_HELD_ITEMS", "600"))
KEYS = ("transactions:xminAge", "transactions:oldestAge")


def check(db):
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT health.check()").fetchone()[0]


def backend_xmin(doc):
    """The xmin-age result of the backends (the holder the open transaction is)."""
    return next(r for r in doc["checks"]["transactions:xminAge"] if r.get("componentId") == "backend")


def vacuum_dead_kept(db):
    """Dead row versions of the queue that VACUUM found but could not remove yet."""
    notices = []
    with psycopg.connect(db, autocommit=True) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
        conn.execute("VACUUM (VERBOSE) attestor.rekor_submission_queue")
    found = [int(m.group(1)) for n in notices for m in [re.search(r"(\d+) are dead but not yet removable", n)] if m]
    assert found, f"VACUUM VERBOSE said nothing about dead rows: {notices[:3]}"
    return found[0]


def claim_ms(db):
    """Median time of an idle claim (the queue has nothing due), in ms, over 20 tries."""
    times = []
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("SET ROLE pgattest_worker")
        for _ in range(20):
            started = time.perf_counter()
            conn.execute("SELECT * FROM attestor.claim_submissions('idle-probe', 10, '1 minute')").fetchall()
            times.append(1000 * (time.perf_counter() - started))
    return sorted(times)[len(times) // 2]


def test_a_held_transaction_is_reported_and_the_queue_keeps_working(private_pg, record):
    db = private_pg.dsn
    signer = Signer()
    park_others(db)
    with psycopg.connect(db, autocommit=True) as su:
        saved = {k: su.execute("SELECT warn_above, fail_above FROM health.thresholds WHERE check_key = %s",
                               (k,)).fetchone() for k in KEYS}
        su.execute("SELECT health.set_threshold('transactions:xminAge', 50, %s)", (ITEMS,))
        su.execute("SELECT health.set_threshold('transactions:oldestAge', 1, 3600)")
    holder = psycopg.connect(db)
    try:
        before = check(db)
        idle_before = claim_ms(db)
        with DevLog("v2") as log:
            log_id = register_log(db, log)
            tenants = [new_tenant(db, signer, "held")]
            # The report: a snapshot held open, idle in transaction, from before the churn.
            holder.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            holder.execute("SELECT count(*) FROM attestor.rekor_submission_queue").fetchone()
            with Workers(db, batch=50, concurrency=50, poll_seconds=0.5) as group:
                group.spawn("held-worker")
                # One transaction per submission, as clients submit: each takes an xid the held
                # snapshot stays behind.
                ids = submit_many(db, tenants, signer, log_id, ITEMS, per_item=True)
                wait_until(lambda: states(db, tenants) == {"submitted": ITEMS}, 120, "the queue to drain")
                assert group.stop() == ([True], [0])
            result = audit(db, ids, log)
        idle_held = claim_ms(db)
        dead_kept = vacuum_dead_kept(db)
        time.sleep(1.1)  # the open transaction passes the oldest-age threshold
        during = check(db)
        assert holder.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS, "the holder is still open"
        holder.rollback()
        dead_left = vacuum_dead_kept(db)
        after = check(db)
    finally:
        holder.close()
        with psycopg.connect(db, autocommit=True) as su:
            for k, (warn, fail) in saved.items():
                su.execute("SELECT health.set_threshold(%s, %s, %s)", (k, warn, fail))
    held = backend_xmin(during)
    record("held_transaction", items=ITEMS, faults=1, lost=result["lost"], duplicated=result["duplicated"],
           xmin_age=held["observedValue"], xmin_status=held["status"],
           oldest_age_s=during["checks"]["transactions:oldestAge"][0]["observedValue"],
           dead_rows_kept=dead_kept, idle_claim_ms_before=round(idle_before, 2), idle_claim_ms_held=round(idle_held, 2))
    assert_clean(result)
    assert backend_xmin(before)["status"] == "pass", json.dumps(before["checks"]["transactions:xminAge"])
    assert held["status"] == "fail" and held["observedValue"] >= ITEMS, held
    assert during["status"] == "fail"
    assert during["checks"]["transactions:oldestAge"][0]["status"] == "warn"
    assert dead_kept >= ITEMS, f"vacuum could remove the churn's dead rows ({dead_kept}) with a snapshot held"
    assert dead_left == 0, "the dead rows stayed after the transaction ended"
    assert backend_xmin(after)["status"] == "pass" and backend_xmin(after)["observedValue"] < 50, backend_xmin(after)
    assert after["checks"]["transactions:oldestAge"][0]["status"] == "pass"
