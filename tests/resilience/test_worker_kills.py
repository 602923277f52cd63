"""Resilience 2: workers killed with SIGKILL at random moments (seeded; the seed is printed).
Nothing is lost or stored twice, every stored entry re-verifies, and the items a killed
worker held are taken again by another worker once their lease ends (they are never
completed by anyone before it ends, and end submitted).

Sizes: PGATTEST_RESILIENCE_KILL_ITEMS (default 300), PGATTEST_RESILIENCE_KILLS (default 4),
PGATTEST_RESILIENCE_SEED (default: random, printed), three workers with a 6-second lease."""

import os
import random
import time

import psycopg
import pytest

from tests.support.queue_helpers import Signer, new_tenant, register_log
from tests.support.resilience import DevLog, Workers, park_others, assert_clean, audit, states, submit_many, wait_until

pytestmark = pytest.mark.resilience

ITEMS = int(os.environ.get("PGATTEST_RESILIENCE_KILL_ITEMS", "300"))
KILLS = int(os.environ.get("PGATTEST_RESILIENCE_KILLS", "4"))
LEASE = 6


def held_by(db, worker_id):
    """{envelope_id: lease end} of the items a worker holds now."""
    with psycopg.connect(db) as conn:
        return dict(conn.execute("""SELECT envelope_id, lease_expires_at FROM attestor.rekor_submission_queue
                                     WHERE state = 'claimed' AND lease_owner = %s""", (worker_id,)).fetchall())


def test_killed_workers_lose_and_duplicate_nothing(private_pg, record):
    seed = int(os.environ.get("PGATTEST_RESILIENCE_SEED") or random.SystemRandom().randrange(2 ** 32))
    print(f"\n[resilience] worker kills: seed {seed} (PGATTEST_RESILIENCE_SEED={seed} repeats it)")
    rng = random.Random(seed)
    db = private_pg.dsn
    signer = Signer()
    park_others(db)
    with DevLog("v1", "--latency-ms", "80", "--jitter-ms", "40", "--seed", str(seed)) as log:
        log_id = register_log(db, log)
        tenants = [new_tenant(db, signer, "kill") for _ in range(2)]
        ids = submit_many(db, tenants, signer, log_id, ITEMS)
        size_before = log.size
        orphans = {}  # envelope_id -> (killed worker, lease end) of items held at the kill
        with Workers(db, lease=f"{LEASE} seconds", batch=6, concurrency=6, http_timeout=1.5, http_retries=1,
                     poll_seconds=0.5) as group:
            for _ in range(3):
                group.spawn(f"kill-{len(group.everyone) + 1}")
            # Random moments, drawn as points of the run's progress (a time would find the queue
            # drained on a fast machine) plus a random delay, so each kill catches work in flight.
            for point in sorted(rng.uniform(0.05, 0.8) for _ in range(KILLS)):
                wait_until(lambda: states(db, tenants).get("submitted", 0) >= point * ITEMS, 120,
                           f"{point:.0%} of the items submitted")
                time.sleep(rng.uniform(0, 0.2))
                victim = group.live.pop(rng.randrange(len(group.live)))
                victim.kill()
                time.sleep(0.3)  # a commit the worker sent just before dying lands first
                for envelope_id, lease_end in held_by(db, victim.name).items():
                    orphans[envelope_id] = (victim.name, lease_end)
                group.spawn(f"kill-{len(group.everyone) + 1}")
            wait_until(lambda: states(db, tenants) == {"submitted": ITEMS}, 180, "the queue to drain after the kills")
            alive, exits = group.stop()
        result = audit(db, ids, log)
        growth = log.size - size_before
        with psycopg.connect(db) as conn:
            taken = conn.execute("""SELECT envelope_id, state, attempts, submitted_at
                                      FROM attestor.rekor_submission_queue WHERE envelope_id = ANY(%s)""",
                                 (list(orphans),)).fetchall() if orphans else []
    record("worker_kills", items=len(ids), faults=KILLS, seed=seed, orphaned=len(orphans), lost=result["lost"],
           duplicated=result["duplicated"], submitted=result["states"].get("submitted", 0), log_growth=growth,
           unverified=result["unverified"])
    assert all(alive) and exits == [0] * len(exits)
    assert_clean(result)
    assert result["states"] == {"submitted": len(ids)} and result["entries"] == len(ids)
    assert growth == len(ids), "each envelope in the log exactly once"
    assert orphans, "no kill caught a worker holding items: the scenario proved nothing (raise the items)"
    for envelope_id, state, attempts, submitted_at in taken:
        worker, lease_end = orphans[envelope_id]
        assert state == "submitted" and attempts >= 2, f"{envelope_id} held by {worker} was not taken again"
        assert submitted_at >= lease_end, f"{envelope_id} was completed before the lease of {worker} ended"
