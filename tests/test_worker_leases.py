"""Issue 16: the queue's leases. Expired leases are claimed first, a worker renews its leases
(attestor.renew_leases) and hands claims back (attestor.release_submissions); every
failure path with its SQLSTATE."""

import json

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest.errors import INVALID_PARAMETER, NULL_NOT_ALLOWED
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture(scope="module")
def log_id(db):
    with LocalRekor("v2") as log:
        return register_log(db, log)


def submit(db, tenant, signer, log_id, n):
    return [call(db, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                 (json.dumps(signer.envelope()), log_id), tenant=tenant) for _ in range(n)]


def claim(db, worker, n, lease="5 minutes"):
    return call(db, "pgattest_worker", "SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval)",
                (worker, n, lease), fetch="all")


def rows(db, tenant):
    with psycopg.connect(db, row_factory=dict_row) as conn:
        return {r["envelope_id"]: r for r in conn.execute(
            "SELECT * FROM attestor.rekor_submission_queue WHERE tenant_id = %s", (tenant,)).fetchall()}


def sqlstate(sql, params):
    def run(db):
        try:
            call(db, "pgattest_worker", sql, params)
        except psycopg.Error as exc:
            return exc.sqlstate, exc.diag.message_primary
        return None, None
    return run


def clear_queue(db):
    """Other tests' due items would share the claims: park them."""
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() + interval '1 day' "
                   "WHERE state IN ('pending', 'failed', 'claimed')")


def test_expired_leases_are_claimed_before_the_backlog(db, signer, log_id):
    clear_queue(db)
    tenant = new_tenant(db, signer, "expired")
    first = submit(db, tenant, signer, log_id, 3)
    held = claim(db, "dead-worker", 3, "1 second")
    assert {r["envelope_id"] for r in held} == set(first)
    backlog = submit(db, tenant, signer, log_id, 20)  # queued before the lease ends: due before it in time order
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() - interval '1 second', "
                   "lease_expires_at = now() - interval '1 second' WHERE tenant_id = %s AND state = 'claimed'",
                   (tenant,))
        su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() - interval '1 minute' "
                   "WHERE tenant_id = %s AND state = 'pending'", (tenant,))
    again = claim(db, "rescuer", 3)
    assert {r["envelope_id"] for r in again} == set(first), "the dead worker's items come first"
    assert all(r["attempts"] == 2 for r in again)
    nxt = claim(db, "rescuer", 5)
    assert {r["envelope_id"] for r in nxt} <= set(backlog) and len(nxt) == 5


def test_renew_keeps_a_lease_and_only_its_holder_can(db, signer, log_id):
    clear_queue(db)
    tenant = new_tenant(db, signer, "renew")
    submit(db, tenant, signer, log_id, 2)
    held = claim(db, "renewer", 2, "2 seconds")
    tokens = [r["claim_token"] for r in held]
    before = {r["claim_token"]: r["lease_expires_at"] for r in rows(db, tenant).values()}
    renewed = call(db, "pgattest_worker", "SELECT * FROM attestor.renew_leases(%s, %s, '10 minutes')",
                   ("renewer", tokens), fetch="all")
    assert {r["claim_token"] for r in renewed} == set(tokens)
    after = rows(db, tenant)
    for r in after.values():
        assert r["lease_expires_at"] > before[r["claim_token"]] and r["next_attempt_at"] == r["lease_expires_at"]
    assert claim(db, "thief", 10) == [] or all(r["claim_token"] not in tokens for r in claim(db, "thief", 10))
    assert call(db, "pgattest_worker", "SELECT * FROM attestor.renew_leases(%s, %s, '10 minutes')",
                ("someone-else", tokens), fetch="all") == [], "a lease is renewed only by its holder"
    # A token whose item was failed is lost: it is not renewed.
    call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'log down', true)",
         (held[0]["submission_id"], held[0]["claim_token"]))
    kept = call(db, "pgattest_worker", "SELECT * FROM attestor.renew_leases(%s, %s)", ("renewer", tokens), fetch="all")
    assert [r["claim_token"] for r in kept] == [held[1]["claim_token"]]


def test_release_hands_claims_back_at_once_without_counting_the_attempt(db, signer, log_id):
    clear_queue(db)
    tenant = new_tenant(db, signer, "release")
    submit(db, tenant, signer, log_id, 3)
    held = claim(db, "stopper", 3)
    call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'log down', true)",
         (held[0]["submission_id"], held[0]["claim_token"]))
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() WHERE tenant_id = %s AND state = 'failed'",
                   (tenant,))
    held = [h for h in held[1:]] + claim(db, "stopper", 1)  # the failed one again: attempts 2
    tokens = [h["claim_token"] for h in held]
    assert call(db, "pgattest_worker", "SELECT * FROM attestor.release_submissions(%s, %s)",
                ("not-the-holder", tokens), fetch="all") == []
    released = call(db, "pgattest_worker", "SELECT * FROM attestor.release_submissions(%s, %s)",
                    ("stopper", tokens), fetch="all")
    assert sorted(r["state"] for r in released) == ["failed", "pending", "pending"]
    for r in rows(db, tenant).values():
        assert r["claim_token"] is None and r["lease_owner"] is None and r["lease_expires_at"] is None
        assert (r["state"], r["attempts"]) in (("pending", 0), ("failed", 1))
        assert r["state"] != "failed" or r["last_error"] == "log down"
    assert len(claim(db, "next", 10)) == 3, "released items are due at once"
    assert call(db, "pgattest_worker", "SELECT * FROM attestor.release_submissions(%s, %s)",
                ("stopper", tokens), fetch="all") == [], "a second release finds nothing"


@pytest.mark.parametrize("sql, params, state, words", [
    ("SELECT * FROM attestor.renew_leases(%s, %s, '1 minute')", ("", []), INVALID_PARAMETER, "invalid worker_id"),
    ("SELECT * FROM attestor.renew_leases(%s, %s, '1 minute')", ("w" * 5000, []), INVALID_PARAMETER, "invalid worker_id"),
    ("SELECT * FROM attestor.renew_leases(%s, %s, '1 minute')", ("w", None), NULL_NOT_ALLOWED, "claim_tokens"),
    ("SELECT * FROM attestor.renew_leases(%s, %s::uuid[], '1 minute')", ("w", [None]), NULL_NOT_ALLOWED, "claim_tokens"),
    ("SELECT * FROM attestor.renew_leases(%s, %s, '0 seconds')", ("w", []), INVALID_PARAMETER, "invalid lease"),
    ("SELECT * FROM attestor.renew_leases(%s, %s, '2 days')", ("w", []), INVALID_PARAMETER, "invalid lease"),
    ("SELECT * FROM attestor.renew_leases(%s, %s, NULL)", ("w", []), INVALID_PARAMETER, "invalid lease"),
    ("SELECT * FROM attestor.renew_leases(%s, array_fill(gen_random_uuid(), ARRAY[10001]), '1 minute')", ("w",),
     INVALID_PARAMETER, "too many"),
    ("SELECT * FROM attestor.release_submissions(%s, %s)", (None, []), INVALID_PARAMETER, "invalid worker_id"),
    ("SELECT * FROM attestor.release_submissions(%s, %s)", ("w", None), NULL_NOT_ALLOWED, "claim_tokens"),
    ("SELECT * FROM attestor.release_submissions(%s, array_fill(gen_random_uuid(), ARRAY[10001]))", ("w",),
     INVALID_PARAMETER, "too many"),
    ("SELECT * FROM attestor.claim_submissions(%s, 1, '1 minute')", ("x" * 50000,), INVALID_PARAMETER, "invalid worker_id"),
])
def test_lease_functions_refuse_bad_input(db, sql, params, state, words):
    got, message = sqlstate(sql, params)(db)
    assert got == state and words in message
    assert len(message) < 200, "echoed input is truncated"


def test_lease_functions_are_the_workers_alone(db):
    for sql in ("SELECT * FROM attestor.renew_leases('w', '{}')", "SELECT * FROM attestor.release_submissions('w', '{}')"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            call(db, "pgattest_app", sql)
