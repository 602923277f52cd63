"""attestor.complete_submissions: a claimed batch verified and stored in one call.

The batch must check exactly what complete_submission checks, and be all or nothing:
one bad entry in a batch writes nothing at all.
"""

import copy
import json
import threading

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest.errors import (INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER, INVALID_TEXT, NULL_NOT_ALLOWED, OBJECT_NOT_IN_STATE,
                             SPLIT_VIEW)
from tests.support.local_rekor import LocalRekor, Tree
from tests.support.queue_helpers import Signer, call, new_tenant, register_log, submit_to_log

ZERO = "00000000-0000-0000-0000-000000000000"


@pytest.fixture(scope="module", params=["v1", "v2"])
def log(request, db):
    with LocalRekor(api_version=request.param) as mock:
        mock.db_log_id = register_log(db, mock)
        yield mock


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture
def tenant(db, signer):
    return new_tenant(db, signer, "batch")


def submit_many(db, tenant, signer, log, n):
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        return [conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)",
                             (json.dumps(signer.envelope()), log.db_log_id)).fetchone()[0] for _ in range(n)]


def claim_these(db, envelope_ids):
    """Claim until every one of envelope_ids is held; other tests' items are failed back."""
    wanted, held = set(envelope_ids), {}
    for _ in range(100):
        for item in call(db, "pgattest_worker", "SELECT * FROM attestor.claim_submissions('batch-test', 100)", fetch="all"):
            if item["envelope_id"] in wanted:
                held[item["envelope_id"]] = item
            else:
                call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'not this test''s', true)",
                     (item["submission_id"], item["claim_token"]))
        if len(held) == len(wanted):
            return [held[e] for e in envelope_ids]
    raise AssertionError("the submissions were never claimed")


def batch_of(items, entries):
    return [{"submission_id": str(i["submission_id"]), "claim_token": str(i["claim_token"]), "tlog_entry": e}
            for i, e in zip(items, entries)]


def complete_batch(db, completions):
    return call(db, "pgattest_worker", "SELECT * FROM attestor.complete_submissions(%s::jsonb)",
                (json.dumps(completions),), fetch="all")


def entry_ids(rows):
    """{submission_id: rekor_entry_id} of complete_submissions' rows."""
    return {row["submission_id"]: row["rekor_entry_id"] for row in rows}


def sqlstate(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate


def written(db, tenant):
    """{'entries': stored Rekor entries, 'submitted': submitted queue items} of the tenant."""
    return call(db, "pgattest_app", """SELECT (SELECT count(*) FROM proofchain.rekor_entries) AS entries,
                                              (SELECT count(*) FROM attestor.rekor_submission_queue WHERE state = 'submitted')
                                                  AS submitted""",
                tenant=tenant)


def test_a_batch_is_verified_stored_and_marked_in_one_call(db, log, tenant, signer):
    envelope_ids = submit_many(db, tenant, signer, log, 5)
    items = claim_these(db, envelope_ids)
    entries = [submit_to_log(log, i["envelope"], i["verifier_pem"]) for i in items]
    result = entry_ids(complete_batch(db, batch_of(items, entries)))
    assert set(result) == {i["submission_id"] for i in items}

    rows = call(db, "pgattest_app", """SELECT q.envelope_id, q.state, q.rekor_entry_id, r.envelope_id AS entry_envelope_id,
                                              r.root_hash, r.tree_size, c.note,
                                              proofchain.verify_stored_entry(r.id) ->> 'verified' AS reverified
                                         FROM attestor.rekor_submission_queue q
                                         JOIN proofchain.rekor_entries r ON r.id = q.rekor_entry_id
                                         JOIN attestor.rekor_checkpoints c ON c.id = r.checkpoint_id
                                        WHERE q.id = ANY(%s)""", ([i["submission_id"] for i in items],),
                tenant=tenant, fetch="all")
    assert len(rows) == 5
    by_item = {i["submission_id"]: i for i in items}
    for row in rows:
        assert row["state"] == "submitted" and row["entry_envelope_id"] == row["envelope_id"]
        assert row["rekor_entry_id"] in result.values()
        assert row["root_hash"] == log.root_at(row["tree_size"]) and row["note"] == log.checkpoint_at(row["tree_size"])
        assert row["reverified"] == "true"
    assert {result[i] for i in by_item} == {r["rekor_entry_id"] for r in rows}

    # Completing the same batch again changes nothing and answers the same.
    before = written(db, tenant)
    assert entry_ids(complete_batch(db, batch_of(items, entries))) == result
    assert written(db, tenant) == before


def test_a_shared_checkpoint_is_stored_once(db, log, tenant, signer):
    """Entries a log integrated together carry one checkpoint: one stored row serves all."""
    envelope_ids = submit_many(db, tenant, signer, log, 3)
    items = claim_these(db, envelope_ids)
    entries = [submit_to_log(log, i["envelope"], i["verifier_pem"]) for i in items]
    shared = [log.entry_at_current_size(e) for e in entries]
    complete_batch(db, batch_of(items, shared))
    checkpoints = call(db, "pgattest_app", """SELECT count(DISTINCT r.checkpoint_id) AS checkpoints,
                                                     min(r.tree_size) AS min_size, max(r.tree_size) AS max_size
                                                FROM proofchain.rekor_entries r
                                                JOIN attestor.rekor_submission_queue q ON q.rekor_entry_id = r.id
                                               WHERE q.id = ANY(%s)""", ([i["submission_id"] for i in items],), tenant=tenant)
    assert checkpoints["checkpoints"] == 1 and checkpoints["min_size"] == checkpoints["max_size"] == log.size


def test_already_submitted_items_are_returned_with_the_new_ones(db, log, tenant, signer):
    envelope_ids = submit_many(db, tenant, signer, log, 2)
    items = claim_these(db, envelope_ids)
    entries = [submit_to_log(log, i["envelope"], i["verifier_pem"]) for i in items]
    first = complete_batch(db, batch_of(items[:1], entries[:1]))
    both = entry_ids(complete_batch(db, batch_of(items, entries)))
    assert both[items[0]["submission_id"]] == first[0]["rekor_entry_id"] and both[items[1]["submission_id"]] is not None


def test_an_entry_the_tenant_already_holds_is_reused(db, log, tenant, signer):
    """An item completed again under a new lease with the entry already stored (its insert
    is skipped) is marked with the stored entry, and nothing is stored twice."""
    envelope_ids = submit_many(db, tenant, signer, log, 3)
    items = claim_these(db, envelope_ids)
    entries = [submit_to_log(log, i["envelope"], i["verifier_pem"]) for i in items]
    first = entry_ids(complete_batch(db, batch_of(items, entries)))
    with psycopg.connect(db, autocommit=True, row_factory=dict_row) as su:  # the items leased again, their entries kept
        leased = su.execute("""UPDATE attestor.rekor_submission_queue
                                       SET state = 'claimed', claim_token = gen_random_uuid(), lease_owner = 'reuse',
                                           lease_expires_at = now() + interval '1 hour', rekor_entry_id = NULL,
                                           submitted_at = NULL
                                     WHERE id = ANY(%s) RETURNING id, claim_token""",
                            ([i["submission_id"] for i in items],)).fetchall()
        tokens = {row["id"]: row["claim_token"] for row in leased}
    assert written(db, tenant) == {"entries": 3, "submitted": 0}
    again = entry_ids(complete_batch(db, [{"submission_id": str(i["submission_id"]),
                                           "claim_token": str(tokens[i["submission_id"]]), "tlog_entry": e}
                                          for i, e in zip(items, entries)]))
    assert again == first
    assert written(db, tenant) == {"entries": 3, "submitted": 3}


def test_one_bad_entry_rejects_the_whole_batch(db, log, tenant, signer):
    envelope_ids = submit_many(db, tenant, signer, log, 3)
    items = claim_these(db, envelope_ids)
    entries = [submit_to_log(log, i["envelope"], i["verifier_pem"]) for i in items]
    before = written(db, tenant)

    def rejected(completions, state, says):
        with pytest.raises(psycopg.Error) as exc:
            complete_batch(db, completions)
        assert exc.value.sqlstate == state and says in exc.value.diag.message_primary, exc.value
        assert written(db, tenant) == before, "a rejected batch writes nothing"

    forged = json.loads(json.dumps(entries[2]))
    log.corrupt_body(forged)
    rejected(batch_of(items, entries[:2] + [forged]), INVALID_PARAMETER,
             f"submission {items[2]['submission_id']} does not verify against log {log.db_log_id}: check ")
    rejected(batch_of(items, [entries[1], entries[0], entries[2]]), INVALID_PARAMETER,    # valid entries, other envelopes
             f"submission {items[0]['submission_id']} records another envelope")
    with LocalRekor(api_version=log.api_version) as other_log:                 # right envelope, unregistered key
        foreign = submit_to_log(other_log, items[0]["envelope"], items[0]["verifier_pem"])
    rejected(batch_of(items, [foreign] + entries[1:]), INVALID_PARAMETER, "check log_key_found failed")
    malformed = json.loads(json.dumps(entries[0]))
    if log.api_version == "v1":
        next(iter(malformed.values()))["body"] = "%%%"
    else:
        malformed["canonicalizedBody"] = "%%%"
    rejected(batch_of(items, [malformed] + entries[1:]), INVALID_TEXT, f"submission {items[0]['submission_id']} is malformed")
    bare = json.loads(json.dumps(entries[0]))                                  # no checkpoint to store it with
    # A proof whose root no one signed proves nothing (issue 14), even beside a v1 SET.
    if log.api_version == "v1":
        next(iter(bare.values()))["verification"]["inclusionProof"].pop("checkpoint")
    else:
        bare["inclusionProof"].pop("checkpoint")
    rejected(batch_of(items, [bare] + entries[1:]), INVALID_PARAMETER,
             f"submission {items[0]['submission_id']} does not verify against log {log.db_log_id}: "
             "check checkpoint_signature failed: the inclusion proof carries no checkpoint")
    stale = batch_of(items, entries)
    stale[1]["claim_token"] = ZERO
    rejected(stale, OBJECT_NOT_IN_STATE, f"stale claim token {ZERO} for submission {items[1]['submission_id']}")
    unknown = batch_of(items, entries)
    unknown[2]["submission_id"] = ZERO
    rejected(unknown, INVALID_PARAMETER, f"unknown submission {ZERO}")
    rejected(batch_of(items, entries) + batch_of(items[:1], entries[:1]), INVALID_PARAMETER,
             f"submission {items[0]['submission_id']} appears twice")

    # The good batch still completes afterwards: nothing was consumed by the rejections.
    assert len(complete_batch(db, batch_of(items, entries))) == 3


def test_an_entry_proven_against_a_forked_root_is_a_split_view(db, log, tenant, signer):
    """The log key signed a different root for a size already stored: 23PA1, nothing written."""
    envelope_ids = submit_many(db, tenant, signer, log, 2)
    items = claim_these(db, envelope_ids)
    honest = submit_to_log(log, items[0]["envelope"], items[0]["verifier_pem"])
    complete_batch(db, batch_of(items[:1], [honest]))
    size = log.size                                   # the honest entry's checkpoint is stored at this size
    fork = copy.copy(log)                             # same key and origin, another history
    fork.tree, fork.bodies, fork.notes, fork.sizes, fork.lock, fork.server = Tree(), {}, {}, {}, threading.Lock(), None
    for i in range(size - 1):
        fork._append(f"another history {i}".encode())
    with fork:
        forked = submit_to_log(fork, items[1]["envelope"], items[1]["verifier_pem"])
    assert fork.size == size and fork.root_at(size) != log.root_at(size)
    before = written(db, tenant)
    with pytest.raises(psycopg.Error) as exc:
        complete_batch(db, batch_of(items[1:], [forked]))
    assert exc.value.sqlstate == SPLIT_VIEW and f"split view: log {log.db_log_id}" in exc.value.diag.message_primary
    assert written(db, tenant) == before


@pytest.fixture
def window(db, log):
    """Sets the log's validity window for one test (as an admin re-registering it) and
    restores the open window afterwards."""
    def set_window(valid_from, valid_until):
        assert register_log(db, log, valid_from=valid_from, valid_until=valid_until) == log.db_log_id
    yield set_window
    set_window("-infinity", None)


def test_the_log_validity_window_is_read_alike_when_completing_and_reverifying(db, log, tenant, signer, window):
    """The integrated time a signed entry timestamp vouches for must fall in the log's
    window, in whole seconds on both paths (trusted_root's RFC 3339 carries no fraction,
    the completion must not keep one), and 'infinity' bounds mean what they say: an open
    end, a log that never starts."""
    if log.api_version != "v1":
        pytest.skip("Rekor v2 entries carry no integrated time to hold against the window")
    envelope_ids = submit_many(db, tenant, signer, log, 4)
    items = claim_these(db, envelope_ids)
    entries = [submit_to_log(log, i["envelope"], i["verifier_pem"]) for i in items]
    second = next(iter(entries[0].values()))["integratedTime"]
    last = next(iter(entries[3].values()))["integratedTime"]

    def at(offset, base=second):
        return call(db, "pgattest_admin", "SELECT to_timestamp(%s::float8)", (base + offset,))

    def refused(window_from, window_until):
        window(window_from, window_until)
        before = written(db, tenant)
        with pytest.raises(psycopg.Error) as exc:
            complete_batch(db, batch_of(items[:1], entries[:1]))
        assert exc.value.sqlstate == INVALID_PARAMETER and "check log_key_valid failed" in exc.value.diag.message_primary
        assert written(db, tenant) == before

    def reverified(entry_id):
        result = call(db, "pgattest_app", "SELECT proofchain.verify_stored_entry(%s)", (entry_id,), tenant=tenant)
        return result["verified"], result["checks"]["log_key_valid"]

    refused("infinity", None)                     # a log that never starts vouches for nothing
    refused(at(1), None)                          # starts after the entry's second
    refused(at(-5), at(-0.5))                     # ends within the second before the entry's
    window(at(-5, last), at(0.5, last))           # ends within the entry's second: the end is inclusive
    inclusive = entry_ids(complete_batch(db, batch_of(items[3:], entries[3:])))[items[3]["submission_id"]]
    assert reverified(inclusive) == (True, True)
    window(at(0.5), at(1))                        # the entry's second is the first and the last
    first = entry_ids(complete_batch(db, batch_of(items[:1], entries[:1])))[items[0]["submission_id"]]
    window("-infinity", "infinity")               # open at both ends
    others = entry_ids(complete_batch(db, batch_of(items[1:3], entries[1:3])))
    assert reverified(first) == (True, True)
    assert [reverified(e) for e in others.values()] == [(True, True)] * 2

    # Offline re-verification reads each window as the completion does.
    window(at(0.5), at(1))
    assert reverified(first) == (True, True)
    window(at(-5), at(0.5))                       # Sigstore's TimeRange: the end is inside it
    assert reverified(first) == (True, True)
    window(at(-5), at(-0.5))
    assert reverified(first) == (False, False)
    window(at(1), None)
    assert reverified(first) == (False, False)
    window("infinity", None)
    assert reverified(first) == (False, False)


def test_malformed_batches(db, tenant):
    assert sqlstate(call, db, "pgattest_worker", "SELECT * FROM attestor.complete_submissions(NULL)") == NULL_NOT_ALLOWED
    for bad in ({"submission_id": ZERO}, [], [1], [{"submission_id": "x", "claim_token": ZERO, "tlog_entry": {}}],
                [{"submission_id": ZERO, "claim_token": ZERO}],
                [{"submission_id": ZERO, "claim_token": ZERO, "tlog_entry": "text"}],
                [{"submission_id": ZERO, "claim_token": ZERO, "tlog_entry": {}}] * 1001):
        assert sqlstate(complete_batch, db, bad) == INVALID_PARAMETER, bad


def error_of(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate, exc.value.diag.message_primary


@pytest.mark.parametrize("bad_id", ["x", "12345", "{%s}" % ZERO, ZERO.replace("-", ""), "0000-0000" + ZERO[9:] + "-",
                                    ZERO[:-1] + "g", 7, None, [ZERO]])
@pytest.mark.parametrize("field", ["submission_id", "claim_token"])
def test_a_malformed_id_is_named_by_its_place_in_the_batch(db, field, bad_id):
    # Canonical uuids only, in any case: other spellings the uuid type would take (braces,
    # no hyphens) are refused as before, and the message names the first bad item.
    good = {"submission_id": ZERO, "claim_token": ZERO, "tlog_entry": {}}
    bad = dict(good, **{field: bad_id})
    state, message = error_of(complete_batch, db, [good, bad, bad])
    assert state == INVALID_PARAMETER
    assert message.startswith("completion 2 is not {submission_id: uuid, claim_token: uuid, tlog_entry: object}"), message


def test_the_first_malformed_id_is_named_whichever_way_it_is_malformed(db):
    # Item 2 is a uuid in another spelling (it casts), item 3 is no uuid at all (the cast
    # raises): the batch is read again, and item 2 is still the one named.
    good = {"submission_id": ZERO, "claim_token": ZERO, "tlog_entry": {}}
    state, message = error_of(complete_batch, db, [good, dict(good, submission_id="{%s}" % ZERO),
                                                   dict(good, claim_token="x")])
    assert state == INVALID_PARAMETER and message.startswith("completion 2 is not"), message


def test_canonical_ids_in_upper_case_are_read_as_uuids(db, log, tenant, signer):
    [env_id] = submit_many(db, tenant, signer, log, 1)
    [item] = claim_these(db, [env_id])
    entry = submit_to_log(log, item["envelope"], item["verifier_pem"])
    rows = complete_batch(db, [{"submission_id": str(item["submission_id"]).upper(),
                                "claim_token": str(item["claim_token"]).upper(), "tlog_entry": entry}])
    assert [r["submission_id"] for r in rows] == [item["submission_id"]]
    assert written(db, tenant) == {"entries": 1, "submitted": 1}


def test_the_stored_envelope_verifier_refuses_what_it_cannot_read(db, log, tenant, signer):
    """_pgattest.verify_stored_completions: the completion's verifier, called directly as its owner would."""
    [env_id] = submit_many(db, tenant, signer, log, 1)
    [item] = claim_these(db, [env_id])
    entry = json.dumps(submit_to_log(log, item["envelope"], item["verifier_pem"]))
    with psycopg.connect(db, autocommit=True, row_factory=dict_row) as conn:
        registered = conn.execute(
            "SELECT log_id, key_name, encode(public_key, 'hex') AS der FROM attestor.transparency_logs WHERE log_id = %s",
            (log.db_log_id,)).fetchone()
        stored = conn.execute(
            "SELECT payload_type, payload, signatures::text FROM proofchain.dsse_envelopes WHERE id = %s",
            (env_id,)).fetchone()
        log_id, payload_type, payload, sigs = (registered["log_id"], stored["payload_type"], stored["payload"],
                                               stored["signatures"])
        logs = json.dumps({log_id: {"name": registered["key_name"], "der": registered["der"], "details": None,
                                    "start": 0, "end": None}})
        # One typed row per item, as _pgattest.complete_claimed builds them.
        row = "ROW(%s, 'a tenant', NULL, %s, %s::jsonb, %s, %s, %s::jsonb)::_pgattest.completion_item"
        sql = f"SELECT submission_id, uuid FROM _pgattest.verify_stored_completions(ARRAY[{row}], %s)"
        sid = str(item["submission_id"])

        def verify(entry=entry, payload_type=payload_type, payload=payload, signatures=sigs):
            return conn.execute(sql, (sid, log_id, entry, payload_type, payload, signatures, logs)).fetchall()

        assert [r["submission_id"] for r in verify()] == [item["submission_id"]]
        for bad, why in ((dict(payload=None), f"stored envelope of submission {sid} is unreadable"),
                         (dict(payload_type=None), f"stored envelope of submission {sid} is unreadable"),
                         (dict(signatures='[{"sig": "not base64!"}]'), f"stored envelope of submission {sid} is unreadable"),
                         (dict(signatures="[]"), f"stored envelope of submission {sid} is unreadable"),
                         (dict(signatures="{}"), f"stored envelope of submission {sid} is unreadable"),
                         (dict(signatures='[{"keyid": ""}]'), f"stored envelope of submission {sid} is unreadable"),
                         (dict(payload=payload + b" "), "records another envelope")):
            state, message = error_of(verify, **bad)
            assert state == INVALID_PARAMETER and why in message, (bad, state, message)
        # A NULL item (complete_claimed never passes one) is refused typed, not as a defect.
        state, message = error_of(lambda: conn.execute(
            "SELECT * FROM _pgattest.verify_stored_completions(ARRAY[NULL::_pgattest.completion_item], %s)", (logs,)))
        assert state == NULL_NOT_ALLOWED and "completion item 1 is NULL" in message
        # An entry that does not verify: the failed check is in the detail.
        forged = json.loads(entry)
        proof = forged.get("inclusionProof") or next(iter(forged.values()))["verification"]["inclusionProof"]
        proof["treeSize"] = int(proof["treeSize"]) + 1 if isinstance(proof["treeSize"], int) else str(int(proof["treeSize"]) + 1)
        with pytest.raises(psycopg.Error) as exc:
            verify(entry=json.dumps(forged))
        assert exc.value.sqlstate == INVALID_PARAMETER
        assert f"submission {sid} does not verify" in exc.value.diag.message_primary
        assert exc.value.diag.message_detail.startswith("checks: ")


def test_only_workers_complete_batches(db, tenant):
    assert sqlstate(call, db, "pgattest_app", "SELECT * FROM attestor.complete_submissions('[]')",
                    tenant=tenant) == INSUFFICIENT_PRIVILEGE
    for role in ("pgattest_app", "pgattest_worker"):
        assert sqlstate(call, db, role, "SELECT _pgattest.verify_stored_completions('{}', '{}')",
                        tenant=tenant) == INSUFFICIENT_PRIVILEGE
