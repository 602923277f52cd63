"""Resilience 3: the log answers 503 to a fifth of the requests and lies in some answers (a
flipped byte in the entry's body, in an inclusion-proof hash, or in the checkpoint's
signature). Every item ends submitted, or dead with the error that killed it; a lying
answer is never stored: every stored entry re-verifies and its tree size and root are the
log's own (asked of the log through /devlog/root, which does not lie).

Sizes: PGATTEST_RESILIENCE_LIE_ITEMS (default 200), error rate 0.2, lie rate
PGATTEST_RESILIENCE_LIE_RATE (default 0.08), seed PGATTEST_RESILIENCE_SEED (default random,
printed); two workers; retries after 1 to 2 s (pgattest.retry_base_seconds and
retry_max_seconds set on the private database)."""

import os
import random

import psycopg
import pytest

from tests.support.queue_helpers import Signer, new_tenant, register_log
from tests.support.resilience import DevLog, Workers, park_others, assert_clean, audit, states, submit_many, wait_until

pytestmark = pytest.mark.resilience

ITEMS = int(os.environ.get("PGATTEST_RESILIENCE_LIE_ITEMS", "200"))
LIE_RATE = float(os.environ.get("PGATTEST_RESILIENCE_LIE_RATE", "0.08"))
ERROR_RATE = 0.2


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_a_failing_and_lying_log_gets_nothing_stored(private_pg, record, api):
    seed = int(os.environ.get("PGATTEST_RESILIENCE_SEED") or random.SystemRandom().randrange(2 ** 32))
    print(f"\n[resilience] lying log {api}: seed {seed} (PGATTEST_RESILIENCE_SEED={seed} repeats it)")
    db = private_pg.dsn
    with psycopg.connect(db, autocommit=True) as su:
        dbname = su.info.dbname
        # Failed items come back after a second or two, not minutes (the defaults).
        su.execute(f'ALTER DATABASE "{dbname}" SET pgattest.retry_base_seconds = 1')
        su.execute(f'ALTER DATABASE "{dbname}" SET pgattest.retry_max_seconds = 2')
    signer = Signer()
    park_others(db)
    items = ITEMS // 2
    try:
        with DevLog(api, "--latency-ms", "20", "--error-rate", str(ERROR_RATE), "--lie-rate", str(LIE_RATE),
                    "--lie-kinds", "body,proof,checkpoint", "--seed", str(seed)) as log:
            log_id = register_log(db, log)
            tenants = [new_tenant(db, signer, "liar")]
            ids = submit_many(db, tenants, signer, log_id, items)
            with Workers(db, batch=8, concurrency=8, poll_seconds=0.5) as group:
                for i in range(2):
                    group.spawn(f"liar-{api}-{i}")
                wait_until(lambda: set(states(db, tenants)) <= {"submitted", "dead"}, 240,
                           "every item submitted or dead")
                alive, exits = group.stop()
            result = audit(db, ids, log)
            stats = log.stats()
    finally:
        with psycopg.connect(db, autocommit=True) as su:
            su.execute(f'ALTER DATABASE "{dbname}" RESET pgattest.retry_base_seconds')
            su.execute(f'ALTER DATABASE "{dbname}" RESET pgattest.retry_max_seconds')
    lies = sum(stats["lies"].values())
    dead = [r for r in result["rows"] if r["state"] == "dead"]
    record(f"lying_log_{api}", items=len(ids), faults=stats["injected_errors"] + lies, errors_503=stats["injected_errors"],
           lies=lies, lie_kinds="/".join(f"{k}:{v}" for k, v in stats["lies"].items()), seed=seed,
           submitted=result["states"].get("submitted", 0), dead=len(dead), lost=result["lost"],
           duplicated=result["duplicated"], lies_stored=result["unverified"] + result["untrue"])
    assert all(alive) and exits == [0, 0]
    assert stats["injected_errors"] > 0 and lies > 0, "the log injected no fault: the scenario proved nothing"
    assert_clean(result)
    assert set(result["states"]) <= {"submitted", "dead"} and sum(result["states"].values()) == len(ids)
    assert all(r["last_error"] for r in dead), "a dead item without its error"
    # A 503 is retried (with 20 % of answers failing, ten attempts all failing is unheard of);
    # only answers the database refused to store kill an item, each one a lie.
    assert all("HTTP 503" not in r["last_error"] for r in dead), [r["last_error"] for r in dead]
    assert 0 < len(dead) <= lies, f"{len(dead)} dead items for {lies} lies"
