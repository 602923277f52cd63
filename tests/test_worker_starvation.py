"""A transparency log that is down must not starve a healthy log's items.

The worker pauses a log that answers 429/503 (up to a minute). The claim
(attestor.claim_submissions) takes due items of any log, so items of a paused log used to
fill the worker's room and wait out the pause while held: with 812 items due for down logs,
one worker moved 18 of 100 items for a healthy log in 60 s. Now the worker passes the logs
it has paused (or has no room for) as skip_logs, and holds at most --concurrency items per
log. The log is the development log (ops/devlog.py) in process; the worker runs in process
too, so the test sees what it holds."""

import asyncio
import threading
import time
from collections import Counter

import psycopg
import pytest

from pgattest.errors import INVALID_PARAMETER
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log
from tests.support.resilience import park_others, states, submit_many
from worker.rekor_worker import Worker


@pytest.fixture(scope="module")
def signer():
    return Signer()


class InProcess:
    """Worker.run_async on an event loop of its own thread, until stop(). Records every claim:
    (monotonic time, items claimed, items then held per log)."""

    def __init__(self, worker):
        self.worker, self.claims = worker, []
        self.loop = self.stopper = None
        self.ready = threading.Event()
        claim = worker.claim

        async def recording_claim(*args, **kwargs):
            claimed = await claim(*args, **kwargs)
            self.claims.append((time.monotonic(), claimed, Counter(i["log_id"] for i in worker.held.values())))
            return claimed

        worker.claim = recording_claim
        self.thread = threading.Thread(target=asyncio.run, args=(self._main(),), daemon=True, name="worker")

    async def _main(self):
        self.loop, self.stopper = asyncio.get_running_loop(), asyncio.Event()
        self.ready.set()
        await self.worker.run_async(self.stopper)

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def stop(self):
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.stopper.set)
            self.thread.join(60)
            assert not self.thread.is_alive(), "the worker did not stop"

    def __exit__(self, *exc):
        self.stop()


def wait_until(predicate, seconds):
    """Seconds it took for predicate() to hold, or None when it did not within seconds."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def posts(log):
    return [t for t, method, _path, _status in log.request_log if method == "POST"]


# --- the worker ----------------------------------------------------------------------------

@pytest.mark.parametrize("retry_after", [30, None], ids=["retry-after", "backoff"])
def test_a_down_log_does_not_starve_a_healthy_one(db, signer, retry_after):
    """One log answers 503 to everything (with a Retry-After of 30 s, or without one, so the
    worker's own backoff grows) and has many due items, older than the healthy log's: the
    healthy log's 100 items are all logged within 20 s (before: a few dozen in a minute),
    the down log's items are all still there (pending or failed, none lost), and no log is
    ever held more items than --concurrency."""
    park_others(db)
    concurrency = 10
    with LocalRekor("v2", error_rate=1.0, error_status=503, retry_after=retry_after) as down, \
            LocalRekor("v2") as healthy:
        down_id, healthy_id = register_log(db, down), register_log(db, healthy)
        busy, quiet = new_tenant(db, signer, "busy"), new_tenant(db, signer, "quiet")
        # The busy tenant's oldest items are the down log's; the quiet tenant's go to the
        # healthy log only: a fair claim gives each tenant half of every batch.
        down_items = submit_many(db, [busy], signer, down_id, 300)
        healthy_items = submit_many(db, [busy, quiet], signer, healthy_id, 100)
        worker = Worker(db, "starve", batch=10, concurrency=concurrency, role="pgattest_worker", poll_seconds=1.0,
                        http_timeout=2.0, http_retries=1, lease="60 seconds", maintenance_seconds=0)
        with InProcess(worker) as run:
            took = wait_until(lambda: healthy.size == 100, 20)
            done_at = time.monotonic()
            time.sleep(4)  # idle but for the paused log: the claims must not spin
            run.stop()
        with psycopg.connect(db) as conn:
            by_log = dict(conn.execute(
                """SELECT log_id, jsonb_object_agg(state, items) FROM (
                       SELECT log_id, state, count(*) AS items FROM attestor.rekor_submission_queue
                        WHERE tenant_id = ANY(%s) GROUP BY log_id, state) s GROUP BY log_id""",
                ([busy, quiet],)).fetchall())
        assert took is not None, f"the healthy log got {healthy.size} of 100 items in 20 s: starved by the down log"
        assert by_log[healthy_id] == {"submitted": 100} and healthy.size == 100, "each item logged exactly once"
        down_states = by_log[down_id]
        assert set(down_states) <= {"pending", "failed"} and sum(down_states.values()) == len(down_items) == 300, \
            f"the down log's items wait for it, none lost or given up: {down_states}"
        assert len(healthy_items) == 100
        most = max(held[down_id] for _, _, held in run.claims)
        assert most <= concurrency, f"the worker held {most} items of the down log, more than --concurrency"
        assert max(held[healthy_id] for _, _, held in run.claims) <= concurrency
        idle = [c for c in run.claims if c[0] > done_at + 0.5]
        # Polling once a second for 3.5 s, and once more when a pause ends: a handful.
        assert len(idle) <= 8, f"{len(idle)} claims in 3.5 s while the down log was paused: the claim spins"
        if retry_after:
            assert len(posts(down)) <= concurrency, "the paused log was sent nothing more before its Retry-After"


def test_items_of_a_log_that_comes_back_are_claimed_again(db, signer):
    """A paused log is skipped only while paused: when its pause ends its items are claimed
    and logged, alongside another log's."""
    park_others(db)
    with LocalRekor("v2") as flaky, LocalRekor("v2") as other:
        flaky_id, other_id = register_log(db, flaky), register_log(db, other)
        tenant = new_tenant(db, signer, "back")
        submit_many(db, [tenant], signer, flaky_id, 30)
        submit_many(db, [tenant], signer, other_id, 30)
        flaky.fail_next(1, 503, retry_after=2)
        worker = Worker(db, "comeback", batch=10, concurrency=10, role="pgattest_worker", poll_seconds=1.0,
                        http_timeout=2.0, http_retries=2, lease="60 seconds", maintenance_seconds=0)
        with InProcess(worker):
            took = wait_until(lambda: states(db, [tenant]) == {"submitted": 60}, 30)
        assert took is not None, f"not every item was logged: {states(db, [tenant])}"
        assert (flaky.size, other.size) == (30, 30)


# --- the claim -----------------------------------------------------------------------------

def claim(db, worker, n, *skip, lease="5 minutes"):
    if not skip:  # the call of every worker before skip_logs, three arguments
        return call(db, "pgattest_worker", "SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval)",
                    (worker, n, lease), fetch="all")
    return call(db, "pgattest_worker",
                "SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval, skip_logs => %s::text[])",
                (worker, n, lease, list(skip)), fetch="all")


@pytest.fixture
def three_logs(db, signer):
    """Due items of two tenants in three logs: {log name: log id}, {(tenant, log name): items}."""
    park_others(db)
    with LocalRekor("v2") as a, LocalRekor("v2") as b, LocalRekor("v2") as c:
        logs = {"a": register_log(db, a), "b": register_log(db, b), "c": register_log(db, c)}
        t1, t2 = new_tenant(db, signer, "skip1"), new_tenant(db, signer, "skip2")
        plan = {(t1, "a"): 20, (t1, "b"): 4, (t2, "a"): 20, (t2, "c"): 4}
        for (tenant, name), n in plan.items():
            submit_many(db, [tenant], signer, logs[name], n)
        yield logs, plan


def test_the_claim_skips_the_logs_it_is_told_to(db, three_logs):
    logs, plan = three_logs
    t1, t2 = sorted({t for t, _ in plan})
    # A small batch still shares between the tenants, among the logs not skipped.
    few = claim(db, "skip-few", 4, logs["a"])
    assert Counter(r["tenant_id"] for r in few) == {t1: 2, t2: 2}
    assert {r["log_id"] for r in few} <= {logs["b"], logs["c"]}
    rest = claim(db, "skip", 100, logs["a"])
    assert sorted(r["log_id"] for r in few + rest) == sorted([logs["b"]] * 4 + [logs["c"]] * 4), \
        "every due item of the other logs, and none of the skipped one"
    assert claim(db, "skip-all", 100, logs["a"], logs["b"], logs["c"]) == []
    # The three-argument call of workers before skip_logs still claims any log.
    unskipped = claim(db, "three-args", 100)
    assert Counter(r["log_id"] for r in unskipped) == {logs["a"]: 40}
    # One function: a second overload would make the three-argument call ambiguous.
    assert call(db, "postgres", "SELECT count(*) FROM pg_proc WHERE oid::regproc::text = 'attestor.claim_submissions'") == 1


def test_expired_leases_of_a_skipped_log_are_left_to_it(db, three_logs):
    logs, _ = three_logs
    held = claim(db, "dies", 100, logs["b"], logs["c"], lease="1 second")
    assert {r["log_id"] for r in held} == {logs["a"]} and len(held) == 40
    time.sleep(1.2)  # the lease expires: due before anything else, but not for a claim skipping the log
    others = claim(db, "skips-a", 100, logs["a"])
    assert sorted(r["log_id"] for r in others) == sorted([logs["b"]] * 4 + [logs["c"]] * 4)
    taken = claim(db, "takes-a", 100)
    assert {r["submission_id"] for r in taken} == {r["submission_id"] for r in held}


@pytest.mark.parametrize("skip", ["NULL", "ARRAY[NULL]::text[]", "ARRAY['x', NULL]", "array_fill('x'::text, ARRAY[1001])"])
def test_a_skip_list_that_would_claim_nothing_or_everything_is_refused(db, skip):
    """NULL (or a NULL element) would make every comparison unknown and the claim empty."""
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_worker")
        with pytest.raises(psycopg.Error) as err:
            conn.execute(f"SELECT * FROM attestor.claim_submissions('w', 10, '1 minute', {skip})")
    assert err.value.sqlstate == INVALID_PARAMETER and "skip_logs" in err.value.diag.message_primary
    assert err.value.diag.message_hint
