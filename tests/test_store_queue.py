"""Issue 4: the proof-chain store, Rekor metadata and the submission queue, in SQL.

Entries come from a local Rekor (tests/support/local_rekor.py: a real in-memory RFC 6962 tree
with a generated log key), submitted exactly as the worker submits them.
"""

import base64
import json
import select
import time

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest.errors import (INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER, INVALID_TEXT, NULL_NOT_ALLOWED, OBJECT_NOT_IN_STATE,
                             SPLIT_VIEW, UNIQUE_VIOLATION)
from tests.support.queue_helpers import Signer, call, new_tenant, register_log, submit_to_log
from tests.support.local_rekor import LocalRekor as MockRekor


@pytest.fixture(scope="module", params=["v1", "v2"])
def log(request, db):
    with MockRekor(api_version=request.param) as mock:
        mock.db_log_id = register_log(db, mock)
        yield mock


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture
def tenant(db, signer):
    return new_tenant(db, signer)


def submit(db, tenant, envelope, log_id):
    return call(db, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                (json.dumps(envelope), log_id), tenant=tenant)


def claim(db, worker="w1", n=10, lease="5 minutes"):
    return call(db, "pgattest_worker", "SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval)",
                (worker, n, lease), fetch="all")


def complete(db, item, entry):
    return call(db, "pgattest_worker", "SELECT attestor.complete_submission(%s, %s, %s::jsonb)",
                (item["submission_id"], item["claim_token"], json.dumps(entry)))


def queue_row(db, tenant, envelope_id):
    return call(db, "pgattest_app", """SELECT state, attempts, rekor_entry_id, last_error
                                         FROM attestor.rekor_submission_queue WHERE envelope_id = %s""",
                (envelope_id,), tenant=tenant)


def sqlstate(fn, *args):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args)
    return exc.value.sqlstate


def drain_for(db, tenant, envelope_id, log):
    """Claim until the item for envelope_id comes up; complete it with the log's entry."""
    for _ in range(50):
        for item in claim(db, n=50):
            if item["envelope_id"] == envelope_id:
                entry = submit_to_log(log, item["envelope"], item["verifier_pem"])
                return item, entry, complete(db, item, entry)
            call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'not this test''s', true)",
                 (item["submission_id"], item["claim_token"]))
    raise AssertionError("the submission was never claimed")


# --- end to end ----------------------------------------------------------------------

def test_submit_process_persist_and_reverify(db, log, tenant, signer):
    env = signer.envelope()
    envelope_id = submit(db, tenant, env, log.db_log_id)
    assert queue_row(db, tenant, envelope_id)["state"] == "pending"
    item, entry, rekor_entry_id = drain_for(db, tenant, envelope_id, log)
    queued = queue_row(db, tenant, envelope_id)
    assert (queued["state"], queued["attempts"], queued["rekor_entry_id"]) == ("submitted", 1, rekor_entry_id)

    stored = call(db, "pgattest_app", """SELECT log_index, shard_log_index, uuid, root_hash, tree_size,
                                                cardinality(inclusion_hashes) AS proof_length, checkpoint_id, integrated_time
                                           FROM proofchain.rekor_entries WHERE id = %s""",
                  (rekor_entry_id,), tenant=tenant)
    size = stored["tree_size"]
    assert size == log.size_at_submission(stored["uuid"]) and stored["shard_log_index"] < size
    assert stored["root_hash"] == log.root_at(size)
    assert stored["log_index"] == stored["shard_log_index"] + (log.global_index_offset if log.api_version == "v1" else 0)
    assert (stored["integrated_time"] is not None) == (log.api_version == "v1")
    note = call(db, "pgattest_app", "SELECT note FROM attestor.rekor_checkpoints WHERE id = %s", (stored["checkpoint_id"],))
    assert note == log.checkpoint_at(size), "the stored checkpoint is the log's at submission"

    result = call(db, "pgattest_app", "SELECT proofchain.verify_stored_entry(%s)", (rekor_entry_id,), tenant=tenant)
    assert result["verified"] is True, result
    assert call(db, "pgattest_app", "SELECT count(*) FROM proofchain.envelope_subjects WHERE envelope_id = %s",
                (envelope_id,), tenant=tenant) == 1


def test_submit_is_idempotent_and_notifies_once_per_transaction(db, log, tenant, signer):
    env = signer.envelope()
    with psycopg.connect(db, autocommit=True) as listener:
        listener.execute("LISTEN pgattest_submissions")
        with psycopg.connect(db) as conn:
            conn.execute("SET ROLE pgattest_app")
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            ids = [conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)",
                                (json.dumps(e), log.db_log_id)).fetchone()[0]
                   for e in (env, signer.envelope(), env, signer.envelope())]
        time.sleep(0.2)
        notes = list(listener.notifies(timeout=1, stop_after=10))
    assert ids[0] == ids[2] and len(set(ids)) == 3
    assert len(notes) == 1, "one NOTIFY per transaction, not per row"
    assert call(db, "pgattest_app", "SELECT count(*) FROM attestor.rekor_submission_queue WHERE envelope_id = %s",
                (ids[0],), tenant=tenant) == 1
    assert submit(db, tenant, env, log.db_log_id) == ids[0], "the same envelope later gives the same id"


# --- submit: rejections, nothing written -----------------------------------------------

def test_submit_rejections(db, log, tenant, signer):
    count = lambda: call(db, "pgattest_app", "SELECT count(*) FROM proofchain.dsse_envelopes", tenant=tenant)
    before = count()
    stranger = Signer()
    assert sqlstate(submit, db, None, signer.envelope(), log.db_log_id) == INSUFFICIENT_PRIVILEGE          # no tenant
    assert sqlstate(submit, db, tenant, stranger.envelope(), log.db_log_id) == INSUFFICIENT_PRIVILEGE     # untrusted signer
    forged = signer.envelope()
    forged["payload"] = signer.envelope()["payload"]   # another valid statement under this signature
    assert sqlstate(submit, db, tenant, forged, log.db_log_id) == INSUFFICIENT_PRIVILEGE   # signature no longer matches
    assert sqlstate(submit, db, tenant, {"payload": "e30=", "signatures": [{"sig": "AA=="}]}, log.db_log_id) == INVALID_PARAMETER
    assert sqlstate(submit, db, tenant, {"payloadType": "x", "payload": "%%%", "signatures": [{"sig": "AA=="}]},
                    log.db_log_id) == INVALID_TEXT
    not_a_statement = signer.envelope(payload=b'{"hello": "world"}')
    assert sqlstate(submit, db, tenant, not_a_statement, log.db_log_id) == INVALID_PARAMETER
    not_json = signer.envelope(payload=b"\xff\xfe")
    assert sqlstate(submit, db, tenant, not_json, log.db_log_id) == INVALID_PARAMETER
    assert sqlstate(submit, db, tenant, signer.envelope(), "ab" * 32) == INVALID_PARAMETER            # unknown log
    assert sqlstate(call, db, "pgattest_app", "SELECT attestor.submit_envelope(NULL, %s)", (log.db_log_id,),
                    tenant) in (NULL_NOT_ALLOWED,)
    assert count() == before, "rejected submissions write nothing"


def test_predicate_type_allow_list(db, log, signer):
    tenant = new_tenant(db, signer, predicates=["https://example.com/only-this/v1"])
    assert sqlstate(submit, db, tenant, signer.envelope(), log.db_log_id) == INSUFFICIENT_PRIVILEGE
    assert submit(db, tenant, signer.envelope(predicate="https://example.com/only-this/v1"), log.db_log_id)


def test_revoked_anchor_no_longer_verifies(db, log, signer):
    other = Signer()
    tenant = new_tenant(db, other)
    anchor = call(db, "pgattest_app", "SELECT id FROM proofchain.trust_anchors", tenant=tenant)
    call(db, "pgattest_admin", "SELECT proofchain.revoke_trust_anchor(%s, 'rotated')", (anchor,), tenant=tenant)
    assert sqlstate(submit, db, tenant, other.envelope(), log.db_log_id) == INSUFFICIENT_PRIVILEGE
    assert sqlstate(call, db, "pgattest_admin", "SELECT proofchain.revoke_trust_anchor(%s, 'again')", (anchor,),
                    tenant) == INVALID_PARAMETER
    assert sqlstate(call, db, "pgattest_admin", "SELECT proofchain.revoke_trust_anchor(%s, '')", (anchor,),
                    tenant) == INVALID_PARAMETER
    assert sqlstate(call, db, "pgattest_admin", "SELECT proofchain.add_trust_anchor('dup', %s)", (other.pem,),
                    tenant) == UNIQUE_VIOLATION
    assert sqlstate(call, db, "pgattest_admin", "SELECT proofchain.add_trust_anchor('bad', 'not a pem')", (),
                    tenant) == INVALID_TEXT
    assert sqlstate(call, db, "pgattest_admin", "SELECT proofchain.add_trust_anchor('', %s)", (Signer().pem,),
                    tenant) == INVALID_PARAMETER
    assert sqlstate(call, db, "pgattest_app", "SELECT proofchain.add_trust_anchor('x', %s)", (Signer().pem,),
                    tenant) == INSUFFICIENT_PRIVILEGE, "applications cannot add trust anchors"


# --- complete: only verified entries, nothing written otherwise ---------------------------

def test_complete_rejects_forged_mismatched_and_stale(db, log, tenant, signer):
    a = submit(db, tenant, signer.envelope(), log.db_log_id)
    b = submit(db, tenant, signer.envelope(), log.db_log_id)
    items = {}
    for _ in range(50):
        for item in claim(db, n=50):
            items[item["envelope_id"]] = item
        if a in items and b in items:
            break
    item_a, item_b = items[a], items[b]
    entry_a = submit_to_log(log, item_a["envelope"], item_a["verifier_pem"])
    entries = lambda: call(db, "pgattest_app", "SELECT count(*) FROM proofchain.rekor_entries", tenant=tenant)
    before = entries()

    forged = json.loads(json.dumps(entry_a))
    log.corrupt_body(forged)
    assert sqlstate(complete, db, item_a, forged) == INVALID_PARAMETER               # body no longer matches its proof
    assert sqlstate(complete, db, item_b, entry_a) == INVALID_PARAMETER              # a valid entry for another envelope
    with MockRekor(api_version=log.api_version) as other_log:              # same envelope, another log's key
        foreign = submit_to_log(other_log, item_a["envelope"], item_a["verifier_pem"])
    assert sqlstate(complete, db, item_a, foreign) == INVALID_PARAMETER
    zero = "00000000-0000-0000-0000-000000000000"
    assert sqlstate(complete, db, dict(item_a, claim_token=zero), entry_a) == OBJECT_NOT_IN_STATE
    assert sqlstate(complete, db, dict(item_a, submission_id=zero), entry_a) == INVALID_PARAMETER
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.complete_submission(%s, %s, NULL)",
                    (item_a["submission_id"], item_a["claim_token"])) == NULL_NOT_ALLOWED
    assert sqlstate(complete, db, item_a, None) == INVALID_PARAMETER                 # jsonb null is no entry
    assert entries() == before, "nothing is written for a rejected completion"

    first = complete(db, item_a, entry_a)
    assert complete(db, item_a, entry_a) == first, "a second completion changes nothing"
    assert entries() == before + 1


def test_fail_backoff_dead_and_requeue(db, log, tenant, signer):
    envelope_id = submit(db, tenant, signer.envelope(), log.db_log_id)
    item = next(i for _ in range(50) for i in claim(db, n=50) if i["envelope_id"] == envelope_id)
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, '', true)",
                    (item["submission_id"], item["claim_token"])) == INVALID_PARAMETER
    assert call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'log down', true)",
                (item["submission_id"], item["claim_token"])) == "failed"
    queued = queue_row(db, tenant, envelope_id)
    assert (queued["state"], queued["attempts"], queued["last_error"]) == ("failed", 1, "log down")
    due = call(db, "pgattest_app", "SELECT next_attempt_at > now() FROM attestor.rekor_submission_queue WHERE envelope_id = %s",
               (envelope_id,), tenant=tenant)
    assert due, "a failed item waits for its backoff"
    assert all(i["envelope_id"] != envelope_id for i in claim(db, n=1000)), "an item in backoff is not claimable"
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'again', true)",
                    (item["submission_id"], item["claim_token"])) == OBJECT_NOT_IN_STATE, "the token died with the failure"
    # Make it due again, then fail it for good.
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() - interval '1 second' "
                     "WHERE envelope_id = %s", (envelope_id,))
    item = next(i for _ in range(50) for i in claim(db, n=50) if i["envelope_id"] == envelope_id)
    assert call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'rejected by log', false)",
                (item["submission_id"], item["claim_token"])) == "dead"
    other = new_tenant(db, signer, "other")  # an admin acting for another tenant finds no such item
    assert sqlstate(call, db, "pgattest_admin", "SELECT attestor.requeue_submission(%s)", (item["submission_id"],),
                    other) == OBJECT_NOT_IN_STATE
    call(db, "pgattest_admin", "SELECT attestor.requeue_submission(%s)", (item["submission_id"],), tenant=tenant)
    queued = queue_row(db, tenant, envelope_id)
    assert (queued["state"], queued["attempts"]) == ("pending", 0) and "rejected by log" in queued["last_error"]
    assert sqlstate(call, db, "pgattest_admin", "SELECT attestor.requeue_submission(%s)", (item["submission_id"],),
                    tenant) == OBJECT_NOT_IN_STATE


def test_max_attempts_make_an_item_dead(db, log, tenant, signer):
    envelope_id = submit(db, tenant, signer.envelope(), log.db_log_id)
    with psycopg.connect(db, row_factory=dict_row) as conn:
        conn.execute("SET ROLE pgattest_worker")
        conn.execute("SET pgattest.max_submission_attempts = 2")
        for expected in ("failed", "dead"):
            with psycopg.connect(db, autocommit=True) as su:
                su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() - interval '1 second' "
                           "WHERE envelope_id = %s AND state <> 'claimed'", (envelope_id,))
            rows = conn.execute("SELECT * FROM attestor.claim_submissions('w', 1000)").fetchall()
            conn.commit()
            item = next(r for r in rows if r["envelope_id"] == envelope_id)
            assert conn.execute("SELECT attestor.fail_submission(%s, %s, 'boom') AS state",
                                (item["submission_id"], item["claim_token"])).fetchone()["state"] == expected
            conn.commit()


def test_expired_lease_is_claimed_again_with_a_new_token(db, log, tenant, signer):
    envelope_id = submit(db, tenant, signer.envelope(), log.db_log_id)
    first = next(i for _ in range(50) for i in claim(db, "dies", 1000, "1 second") if i["envelope_id"] == envelope_id)
    assert all(i["envelope_id"] != envelope_id for i in claim(db, "other", 1000)), "a live lease is not claimable"
    time.sleep(1.2)
    second = next(i for i in claim(db, "other", 1000) if i["envelope_id"] == envelope_id)
    assert second["claim_token"] != first["claim_token"] and second["attempts"] == 2
    entry = submit_to_log(log, second["envelope"], second["verifier_pem"])
    assert sqlstate(complete, db, first, entry) == OBJECT_NOT_IN_STATE, "the dead worker's token is stale"
    assert complete(db, second, entry)


def test_claim_argument_errors(db):
    assert sqlstate(claim, db, "", 10) == INVALID_PARAMETER
    assert sqlstate(claim, db, "w", 0) == INVALID_PARAMETER
    assert sqlstate(claim, db, "w", 1001) == INVALID_PARAMETER
    assert sqlstate(claim, db, "w", 10, "0 seconds") == INVALID_PARAMETER
    assert sqlstate(call, db, "pgattest_app", "SELECT * FROM attestor.claim_submissions('w')", ()) == INSUFFICIENT_PRIVILEGE


def test_concurrent_claims_are_disjoint(db, log, signer):
    tenant = new_tenant(db, signer)
    for _ in range(40):
        submit(db, tenant, signer.envelope(), log.db_log_id)
    with psycopg.connect(db) as one, psycopg.connect(db) as two:
        for conn in (one, two):
            conn.execute("SET ROLE pgattest_worker")
        a = one.execute("SELECT submission_id FROM attestor.claim_submissions('one', 30)").fetchall()
        b = two.execute("SELECT submission_id FROM attestor.claim_submissions('two', 30)").fetchall()  # while one holds locks
        assert a and b and not set(a) & set(b), "SKIP LOCKED: two open claims never share an item"


def test_claims_are_fair_across_tenants(db, log, signer):
    big, small = new_tenant(db, signer, "big"), new_tenant(db, signer, "small")
    with psycopg.connect(db) as conn:  # 2,000 items for one tenant, in one transaction
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (big,))
        for _ in range(2000):
            conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(signer.envelope()), log.db_log_id))
    small_ids = {submit(db, small, signer.envelope(), log.db_log_id) for _ in range(10)}
    claimed = claim(db, "fair", 50)
    got_small = {row["envelope_id"] for row in claimed if row["tenant_id"] == small}
    assert got_small == small_ids, "10 items of a small tenant all go in the first claim of 50"
    assert sum(1 for row in claimed if row["tenant_id"] == big) >= 20
    # Leave the queue as it was for the other tests: fail the big tenant's items to dead.
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET state = 'dead', claim_token = NULL, lease_owner = NULL, "
                   "lease_expires_at = NULL WHERE tenant_id IN (%s, %s) AND state <> 'submitted'", (big, small))


def test_one_item_claims_alternate_between_tenants(db, log, signer):
    """Batch 1 takes the lazy path (one item of a random due tenant): a small tenant still
    gets its items through while a big one has a long backlog."""
    with psycopg.connect(db, autocommit=True) as su:   # only this test's tenants have due work
        su.execute("UPDATE attestor.rekor_submission_queue SET state = 'dead', claim_token = NULL, lease_owner = NULL, "
                   "lease_expires_at = NULL WHERE state IN ('pending', 'failed', 'claimed')")
    big, small = new_tenant(db, signer, "big1"), new_tenant(db, signer, "small1")
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (big,))
        for _ in range(100):
            conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(signer.envelope()), log.db_log_id))
    small_ids = {submit(db, small, signer.envelope(), log.db_log_id) for _ in range(3)}
    claimed = [row for _ in range(40) for row in claim(db, "one-at-a-time", 1)]
    assert len(claimed) == 40 and len({row["submission_id"] for row in claimed}) == 40, "40 claims of one: 40 distinct items"
    assert {row["envelope_id"] for row in claimed if row["tenant_id"] == small} == small_ids, \
        "behind 100 older items, the small tenant's 3 are claimed within 40 claims of one (chance of failing < 1e-8)"
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET state = 'dead', claim_token = NULL, lease_owner = NULL, "
                   "lease_expires_at = NULL WHERE tenant_id IN (%s, %s) AND state <> 'submitted'", (big, small))


# --- checkpoints -----------------------------------------------------------------------

def test_record_checkpoint_consistency_and_split_view(db, log, tenant, signer):
    submit_to_log(log, signer.envelope(), signer.pem)
    note1 = log.checkpoint()
    id1 = call(db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)", (log.db_log_id, note1))
    assert call(db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)", (log.db_log_id, note1)) == id1
    size1 = log.size
    submit_to_log(log, signer.envelope(), signer.pem)
    note2, proof = log.checkpoint(), log.consistency_proof(size1, log.size)
    call(db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s, %s::bytea[])", (log.db_log_id, note2, proof))
    bad_proof = [bytes(32)] * max(1, len(proof))
    submit_to_log(log, signer.envelope(), signer.pem)
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s, %s::bytea[])",
                    (log.db_log_id, log.checkpoint(), bad_proof)) == SPLIT_VIEW
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)",
                    (log.db_log_id, note1.replace("\n\n", "\nextra\n\n", 1))) == INVALID_PARAMETER   # signature breaks
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)",
                    ("cd" * 32, note1)) == INVALID_PARAMETER                                        # unknown log
    assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.record_split_view(%s, %s)",
                    (log.db_log_id, note1)) == INVALID_PARAMETER                                   # nothing to record


def test_split_view_is_kept_as_evidence_and_freezes_the_log(db, signer):
    with MockRekor(api_version="v1") as mock:
        log_id = register_log(db, mock)
        submit_to_log(mock, signer.envelope(), signer.pem)
        honest = mock.checkpoint()
        call(db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)", (log_id, honest))
        forked = mock.sign_checkpoint(mock.size, bytes(32))   # same size, another root, the log's key
        assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)", (log_id, forked)) == SPLIT_VIEW
        evidence = call(db, "pgattest_worker", "SELECT attestor.record_split_view(%s, %s)", (log_id, forked))
        row = call(db, "pgattest_admin", "SELECT tree_size, conflicting_note FROM attestor.split_views WHERE id = %s",
                   (evidence,))
        assert row == {"tree_size": mock.size, "conflicting_note": forked}
        tenant = new_tenant(db, signer)
        assert sqlstate(submit, db, tenant, signer.envelope(), log_id) == INVALID_PARAMETER, "a split log takes no submissions"
        assert sqlstate(call, db, "pgattest_worker", "SELECT attestor.record_checkpoint(%s, %s)", (log_id, honest)) == SPLIT_VIEW


# --- isolation ------------------------------------------------------------------------

def test_store_tables_are_tenant_isolated(db, log, signer):
    a, b = new_tenant(db, signer, "iso"), new_tenant(db, signer, "iso")
    env_a = submit(db, a, signer.envelope(), log.db_log_id)
    for table in ("proofchain.dsse_envelopes", "proofchain.envelope_subjects", "proofchain.trust_anchors",
                  "attestor.rekor_submission_queue", "proofchain.rekor_entries"):
        rows = call(db, "pgattest_app", f"SELECT count(*) FROM {table} WHERE tenant_id = %s", (a,), tenant=b)
        assert rows == 0, f"tenant b sees tenant a's rows in {table}"
    assert sqlstate(call, db, "pgattest_app", "SELECT proofchain.verify_stored_entry(%s)",
                    ("00000000-0000-0000-0000-000000000000",), b) == INVALID_PARAMETER
    assert call(db, "pgattest_app", "SELECT count(*) FROM proofchain.dsse_envelopes WHERE id = %s", (env_a,), tenant=a) == 1
