"""Resilience 1: PostgreSQL restarted (fast and immediate shutdowns) during a queue run with
worker processes. Afterwards every submission is submitted exactly once (or still pending),
none lost, none stored twice in the log or the database, every stored entry re-verifies,
and the workers reconnected by themselves: still running, progressing after the last
restart, and LISTENing again.

Sizes: PGATTEST_RESILIENCE_RESTART_ITEMS (default 400 items), PGATTEST_RESILIENCE_RESTARTS
(default 3: three fast and three immediate restarts, alternating), two workers."""

import os
import time

import pytest

from tests.support.queue_helpers import Signer, new_tenant, register_log
from tests.support.resilience import DevLog, Workers, park_others, assert_clean, audit, states, submit_many, wait_until

pytestmark = pytest.mark.resilience

ITEMS = int(os.environ.get("PGATTEST_RESILIENCE_RESTART_ITEMS", "400"))
ROUNDS = int(os.environ.get("PGATTEST_RESILIENCE_RESTARTS", "3"))


def test_restarts_mid_run_lose_and_duplicate_nothing(private_pg, record):
    db = private_pg.dsn
    signer = Signer()
    park_others(db)
    modes = ["fast", "immediate"] * ROUNDS
    # Latency keeps the run going across every restart, however fast the machine (two
    # workers at 8 requests in flight, 100 ms per answer: 160 items/s at most).
    with DevLog("v2", "--latency-ms", "100") as log:
        log_id = register_log(db, log)
        tenants = [new_tenant(db, signer, "restart") for _ in range(2)]
        ids = submit_many(db, tenants, signer, log_id, ITEMS)
        size_before = log.size
        # A long poll: after the last restart only a LISTEN opened again picks new work up quickly.
        with Workers(db, poll_seconds=120, batch=8, concurrency=8) as group:
            workers = [group.spawn(f"restart-{i}") for i in range(2)]
            progress, restart_s = [], []
            run_began = time.time()
            for k, mode in enumerate(modes):
                threshold = ITEMS * (k + 1) // (len(modes) + 2)
                wait_until(lambda: states(db, tenants).get("submitted", 0) >= threshold, 120,
                           f"{threshold} items submitted before restart {k + 1}")
                began = time.time()
                private_pg.restart(mode)
                restart_s.append(time.time() - began)
                progress.append(states(db, tenants).get("submitted", 0))
            after_last = states(db, tenants).get("submitted", 0)
            drain_began = time.time()
            wait_until(lambda: states(db, tenants) == {"submitted": ITEMS}, 180, "the queue to drain after the restarts")
            drain_s = time.time() - drain_began
            assert states(db, tenants).get("submitted", 0) > after_last or after_last == ITEMS
            # Work arriving after the last restart is noticed (LISTEN again), long before the poll.
            ids.update(submit_many(db, tenants[:1], signer, log_id, 1))
            started = time.time()
            wait_until(lambda: states(db, tenants) == {"submitted": ITEMS + 1}, 30,
                       "a notification after the restarts (the workers LISTEN again)")
            noticed = time.time() - started
            reconnects = [len(w.events("database connection lost; reconnecting")) +
                          len(w.events("listen connection lost; reconnecting")) for w in workers]
            alive, exits = group.stop()
            logs = group.logs()
        assert all(alive), f"a worker died on a restart: {logs}"
        assert exits == [0, 0], logs
        assert all(r > 0 for r in reconnects), f"every worker saw the restarts and reconnected: {reconnects}"
        result = audit(db, ids, log)
        growth = log.size - size_before
    record("restarts", items=len(ids), faults=len(modes), fast=modes.count("fast"),
           immediate=modes.count("immediate"), lost=result["lost"], duplicated=result["duplicated"],
           submitted=result["states"].get("submitted", 0), log_growth=growth, unverified=result["unverified"],
           reconnects=sum(reconnects), listen_pickup_s=round(noticed, 2), restart_s_max=round(max(restart_s), 1),
           drain_after_s=round(drain_s, 1), run_s=round(drain_began - run_began, 1))
    assert_clean(result)
    assert result["states"] == {"submitted": len(ids)}
    assert result["entries"] == len(ids)
    assert growth == len(ids), "each envelope in the log exactly once (resubmissions found it there)"
    assert progress == sorted(progress) and progress[-1] < ITEMS, \
        f"every restart happened with work left to do: {progress}"
