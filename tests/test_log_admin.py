"""Issue 14 in the database: registered logs bind proofs as sigstore-go does, only conclusive
evidence freezes a log, and admins can correct, deactivate and unfreeze logs, recorded.

Each test runs its own local Rekor (tests/support/local_rekor.py), registered under the
name the test needs, so freezing or retiring one never disturbs another test.
"""

import base64
import json
import secrets

import psycopg
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from psycopg.rows import dict_row

from pgattest.errors import (INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER, NULL_NOT_ALLOWED, OBJECT_NOT_IN_STATE,
                             SPLIT_VIEW)
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, submit_to_log


@pytest.fixture(scope="module")
def signer():
    return Signer()


def sqlstate(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate


def error_of(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value


def register(db, mock, key_name=None, **kw):
    args = {"key_name": key_name or mock.key_name, "tree_id": mock.tree_id,
            "global_index_offset": mock.global_index_offset, **kw}
    named = ", ".join(f"{k} => %s" for k in args)
    return call(db, "pgattest_admin", f"SELECT attestor.register_transparency_log(%s, %s, %s, {named})",
                ("rekor_" + mock.api_version, mock.base_url, mock.public_key_pem, *args.values()))


def events(db, log_id):
    return call(db, "pgattest_admin", "SELECT action, changes, reason FROM attestor.transparency_log_events "
                                      "WHERE log_id = %s ORDER BY id", (log_id,), fetch="all")


def log_row(db, log_id):
    return call(db, "pgattest_admin", "SELECT key_name, base_url, valid_from::text AS valid_from, valid_until, active, "
                                      "is_default, split_view_at FROM attestor.transparency_logs WHERE log_id = %s", (log_id,))


def record(db, log_id, note, proof=None, old_size=None, role="pgattest_worker"):
    return call(db, role, "SELECT attestor.record_checkpoint(%s, %s, %s::bytea[], %s)", (log_id, note, proof, old_size))


def split_view(db, log_id, note, proof=None, old_size=None, role="pgattest_worker"):
    return call(db, role, "SELECT attestor.record_split_view(%s, %s, %s::bytea[], %s)", (log_id, note, proof, old_size))


def grow(mock, signer, n=1):
    for _ in range(n):
        submit_to_log(mock, signer.envelope(), signer.pem)
    return mock.size


def signed_with_origin(mock, origin, size, root):
    """A note validly signed by the mock's key, with another origin line."""
    saved, mock.origin = mock.origin, origin
    try:
        return mock.sign_checkpoint(size, root)
    finally:
        mock.origin = saved


# --- item 1: a Rekor v1 checkpoint is matched by key hint, whatever its name ------------

@pytest.mark.parametrize("key_name", ["rekor-00001-deployment-5f8d7c-x2k9q", "localhost"])
def test_a_v1_log_registered_under_another_name_still_verifies(db, signer, key_name):
    with LocalRekor("v1") as mock:
        log_id = register(db, mock, key_name=key_name)
        assert log_row(db, log_id)["key_name"] == key_name and key_name != mock.key_name
        entry = submit_to_log(mock, signer.envelope(), signer.pem)
        assert record(db, log_id, mock.checkpoint()) > 0
        result = call(db, "pgattest_app", "SELECT proofchain.verify_tlog_entry(%s::jsonb, attestor.trusted_root(%s))",
                      (json.dumps(entry), log_id))
        assert result["verified"] is True and result["checks"]["checkpoint_signature"] is True, result


# --- item 5: a Rekor v2 checkpoint's origin is the log's name ---------------------------

def test_a_v2_checkpoint_of_another_origin_is_refused(db, signer):
    with LocalRekor("v2") as mock:
        log_id = register(db, mock)
        size = grow(mock, signer)
        other = signed_with_origin(mock, "another.log.example", size, mock.root_at(size))
        err = error_of(record, db, log_id, other)
        assert err.sqlstate == INVALID_PARAMETER and "has origin 'another.log.example'" in err.diag.message_primary
        assert record(db, log_id, mock.checkpoint()) > 0
        # The checkpoint API takes the origin too (item 8).
        assert call(db, "pgattest_app", "SELECT proofchain.verify_checkpoint(%s, %s, %s, %s)",
                    (other, mock.key_name, mock.public_key_pem, mock.key_name)) is False
        assert call(db, "pgattest_app", "SELECT proofchain.verify_checkpoint(%s, %s, %s)",
                    (other, mock.key_name, mock.public_key_pem)) is True
        assert call(db, "pgattest_app", "SELECT proofchain.verify_checkpoint(%s, %s, %s, %s)",
                    (mock.checkpoint(), mock.key_name, mock.public_key_pem, mock.key_name)) is True


def test_a_signature_failure_names_the_key_id_looked_for_and_those_present(db, signer):
    with LocalRekor("v2") as mock, LocalRekor("v2") as other:
        log_id = register(db, mock)
        size = grow(other, signer)
        err = error_of(record, db, log_id, other.checkpoint())
        assert err.sqlstate == INVALID_PARAMETER
        assert f"no valid signature line with key id {log_id[:8]} named {mock.key_name}" in err.diag.message_primary
        assert f"{other.key_name} {other.log_id[:8]}" in err.diag.message_detail
        assert size == other.size


# --- item 9: the consistency base is explicit; a failing proof freezes nothing ----------

def test_a_consistency_proof_from_the_callers_own_older_checkpoint(db, signer):
    with LocalRekor("v1") as mock:
        log_id = register(db, mock)
        s1 = grow(mock, signer, 2)
        note1 = mock.checkpoint()
        record(db, log_id, note1)
        s2 = grow(mock, signer)
        record(db, log_id, mock.checkpoint())
        s3 = grow(mock, signer, 3)
        note3, proof13 = mock.checkpoint(), mock.consistency_proof(s1, s3)
        # By default the base is the latest stored size (s2): this proof is for s1.
        err = error_of(record, db, log_id, note3, proof13)
        assert err.sqlstate == INVALID_PARAMETER, "a proof for another base is not evidence of a fork"
        assert f"from size {s2} to size {s3}" in err.diag.message_primary and "old_size" in err.diag.message_hint
        assert log_row(db, log_id)["split_view_at"] is None
        assert call(db, "pgattest_admin", "SELECT count(*) FROM attestor.rekor_checkpoints WHERE log_id = %s AND tree_size = %s",
                    (log_id, s3)) == 0, "a refused checkpoint is not stored"
        cp3 = record(db, log_id, note3, proof13, s1)
        assert cp3 == record(db, log_id, note3)
        for bad_size, state in ((s3 + 1, INVALID_PARAMETER), (s1 + 1, INVALID_PARAMETER)):
            assert sqlstate(record, db, log_id, note3, proof13, bad_size) == state  # above the size; not stored
        assert sqlstate(record, db, log_id, note3, None, s1) == INVALID_PARAMETER   # old_size without a proof
        assert sqlstate(record, db, None, note3) == NULL_NOT_ALLOWED


def test_only_two_signed_roots_for_one_size_freeze_a_log_and_an_admin_lifts_it(db, signer):
    with LocalRekor("v1") as mock:
        log_id = register(db, mock)
        s1 = grow(mock, signer, 2)
        record(db, log_id, mock.checkpoint())
        s2 = grow(mock, signer, 2)
        genuine = mock.checkpoint()
        # Anyone holding a genuine note can fabricate a failing proof: kept, inconclusive, no freeze.
        fabricated = [bytes(32)] * len(mock.consistency_proof(s1, s2))
        inconclusive = split_view(db, log_id, genuine, fabricated)
        row = call(db, "pgattest_admin", "SELECT * FROM attestor.split_views WHERE id = %s", (inconclusive,))
        assert row["conclusive"] is False and row["old_size"] == s1 and row["consistency_proof"] == fabricated
        assert row["conflicting_note"] == genuine and row["stored_note"] == mock.checkpoint_at(s1)
        assert log_row(db, log_id)["split_view_at"] is None
        # A correct proof is nothing to record; the genuine note is still accepted.
        assert sqlstate(split_view, db, log_id, genuine, mock.consistency_proof(s1, s2)) == INVALID_PARAMETER
        record(db, log_id, genuine, mock.consistency_proof(s1, s2))

        forked = mock.sign_checkpoint(s2, bytes(32))        # same size, another root, the log's key
        assert sqlstate(record, db, log_id, forked) == SPLIT_VIEW
        conclusive = split_view(db, log_id, forked)
        row = call(db, "pgattest_admin", "SELECT * FROM attestor.split_views WHERE id = %s", (conclusive,))
        assert row["conclusive"] is True and row["stored_note"] == genuine and row["resolved_at"] is None
        frozen_at = log_row(db, log_id)["split_view_at"]
        assert frozen_at is not None
        assert sqlstate(record, db, log_id, genuine) == SPLIT_VIEW

        lift = "SELECT attestor.lift_split_view(%s, %s)"
        assert sqlstate(call, db, "pgattest_worker", lift, (log_id, "not mine to lift")) == INSUFFICIENT_PRIVILEGE
        assert sqlstate(call, db, "pgattest_admin", lift, (log_id, " ")) == NULL_NOT_ALLOWED
        assert sqlstate(call, db, "pgattest_admin", lift, ("ab" * 32, "x")) == INVALID_PARAMETER
        call(db, "pgattest_admin", lift, (log_id, "test key rotation, operator confirmed"))
        assert log_row(db, log_id)["split_view_at"] is None
        row = call(db, "pgattest_admin", "SELECT * FROM attestor.split_views WHERE id = %s", (conclusive,))
        assert row["resolution"] == "test key rotation, operator confirmed" and row["resolved_by"] and row["resolved_at"]
        assert events(db, log_id)[-1]["action"] == "lift_split_view"
        assert sqlstate(call, db, "pgattest_admin", lift, (log_id, "again")) == OBJECT_NOT_IN_STATE
        assert record(db, log_id, genuine) > 0, "the log is trusted again"


# --- item 10: re-registration, update, deactivation, all recorded ----------------------

def test_registering_again_with_other_parameters_updates_them_recorded(db):
    with LocalRekor("v1") as mock:
        with psycopg.connect(db) as conn:
            conn.execute("SET ROLE pgattest_admin")
            log_id = conn.execute("SELECT attestor.register_transparency_log('rekor_v1', %s, %s, key_name => 'wrong.name')",
                                  (mock.base_url, mock.public_key_pem)).fetchone()[0]
            notices = []
            conn.add_notice_handler(lambda d: notices.append(d.message_primary))
            same = conn.execute("SELECT attestor.register_transparency_log('rekor_v1', %s, %s, key_name => 'wrong.name')",
                                (mock.base_url, mock.public_key_pem)).fetchone()[0]
            assert same == log_id and notices == [], "the same parameters change nothing"
            conn.execute("SELECT attestor.register_transparency_log('rekor_v1', %s, %s, key_name => %s)",
                         (mock.base_url, mock.public_key_pem, mock.key_name))
            conn.commit()
        assert notices == [f"transparency log {log_id} was registered already: changed key_name"]
        assert log_row(db, log_id)["key_name"] == mock.key_name
        assert [(e["action"], e["changes"].get("key_name")) for e in events(db, log_id)] == [
            ("register", "wrong.name"), ("update", {"from": "wrong.name", "to": mock.key_name})]


def test_an_admin_updates_and_deactivates_a_log(db, signer):
    update = ("SELECT key_name, valid_until, active FROM attestor.update_transparency_log(%s, key_name => %s, "
              "valid_until => %s, reason => %s)")
    with LocalRekor("v1") as v1, LocalRekor("v2") as v2:
        log_id, v2_id = register(db, v1, key_name="typo.name"), register(db, v2)
        row = call(db, "pgattest_admin", update, (log_id, v1.key_name, "2030-01-01T00:00:00Z", "fix the name"))
        assert row["key_name"] == v1.key_name and row["valid_until"].year == 2030
        assert events(db, log_id)[-1]["reason"] == "fix the name"
        assert set(events(db, log_id)[-1]["changes"]) == {"key_name", "valid_until"}
        row = call(db, "pgattest_admin", "SELECT valid_until FROM attestor.update_transparency_log(%s, valid_until => 'infinity')",
                   (log_id,), fetch="all")[0]
        assert row["valid_until"] is None, "'infinity' opens the end again"
        n = len(events(db, log_id))
        call(db, "pgattest_admin", "SELECT log_id FROM attestor.update_transparency_log(%s)", (log_id,))
        assert len(events(db, log_id)) == n, "nothing changed, nothing recorded"
        for args, state in (((v2_id, "other.name", None, None), INVALID_PARAMETER),   # part of a v2 log id
                            (("ab" * 32, "x", None, None), INVALID_PARAMETER),
                            ((log_id, "bad name", None, None), INVALID_PARAMETER),
                            ((log_id, None, "-infinity", None), INVALID_PARAMETER),   # ends before it starts
                            ((None, None, None, None), NULL_NOT_ALLOWED)):
            assert sqlstate(call, db, "pgattest_admin", update, args) == state, args
        assert sqlstate(call, db, "pgattest_worker", update, (log_id, None, None, None)) == INSUFFICIENT_PRIVILEGE

        deactivate = "SELECT attestor.deactivate_transparency_log(%s, %s)"
        call(db, "pgattest_admin", deactivate, (log_id, "moving to the new shard"))
        assert log_row(db, log_id)["active"] is False and events(db, log_id)[-1]["action"] == "deactivate"
        tenant = new_tenant(db, signer, "adm")
        assert sqlstate(call, db, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                        (json.dumps(signer.envelope()), log_id), tenant=tenant) == INVALID_PARAMETER
        assert sqlstate(call, db, "pgattest_admin", deactivate, (log_id, "again")) == OBJECT_NOT_IN_STATE
        assert sqlstate(call, db, "pgattest_admin", deactivate, (log_id, "")) == NULL_NOT_ALLOWED
        call(db, "pgattest_admin", "SELECT log_id FROM attestor.update_transparency_log(%s, active => true)", (log_id,))
        assert log_row(db, log_id)["active"] is True


# --- item 6: no SET: the window at the verification time; item 10: bulk requeue --------

def claim_these(db, envelope_ids):
    """Claim until every one of envelope_ids is held; other tests' items are failed back."""
    wanted, held = set(envelope_ids), {}
    for _ in range(100):
        for item in call(db, "pgattest_worker", "SELECT * FROM attestor.claim_submissions('admin-test', 100)", fetch="all"):
            if item["envelope_id"] in wanted:
                held[item["envelope_id"]] = item
            else:
                call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, 'not this test''s', true)",
                     (item["submission_id"], item["claim_token"]))
        if len(held) == len(wanted):
            return [held[e] for e in envelope_ids]
    raise AssertionError("never claimed")


def complete(db, item, entry):
    return call(db, "pgattest_worker", "SELECT attestor.complete_submission(%s, %s, %s::jsonb)",
                (item["submission_id"], item["claim_token"], json.dumps(entry)))


def test_a_retired_v2_key_stores_nothing_and_its_entries_reverify_at_their_checkpoint_time(db, signer):
    with LocalRekor("v2") as mock:
        log_id = register(db, mock)
        tenant = new_tenant(db, signer, "win")
        envelopes = [call(db, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                          (json.dumps(signer.envelope()), log_id), tenant=tenant) for _ in range(2)]
        first, second = claim_these(db, envelopes)
        entry_id = complete(db, first, submit_to_log(mock, first["envelope"], first["verifier_pem"]))
        reverify = "SELECT proofchain.verify_stored_entry(%s)"
        result = call(db, "pgattest_app", reverify, (entry_id,), tenant=tenant)
        assert result["verified"] is True and result["checks"]["log_key_valid"] is True

        # The key is retired (valid_until in the past): the completion, which has no SET to
        # go by, holds the window against now and refuses.
        call(db, "pgattest_admin", "SELECT log_id FROM attestor.update_transparency_log(%s, valid_until => now() - interval '1 hour', "
                                   "reason => 'key compromised')", (log_id,))
        err = error_of(complete, db, second, submit_to_log(mock, second["envelope"], second["verifier_pem"]))
        assert err.sqlstate == INVALID_PARAMETER and "check log_key_valid failed" in err.diag.message_primary
        assert f"of log key {log_id}" in err.diag.message_primary
        # The stored entry's checkpoint was verified before the retirement... which was an hour ago:
        # its time falls after the end, so it no longer verifies either.
        result = call(db, "pgattest_app", reverify, (entry_id,), tenant=tenant)
        assert result["verified"] is False and result["checks"]["log_key_valid"] is False
        # A window that still held when the checkpoint was verified vouches for the entry.
        call(db, "pgattest_admin", "SELECT log_id FROM attestor.update_transparency_log(%s, valid_until => %s::timestamptz + interval '1 second')",
             (log_id, result["checkpoint_verified_at"]))
        result = call(db, "pgattest_app", reverify, (entry_id,), tenant=tenant)
        assert result["verified"] is True and result["checks"]["log_key_valid"] is True

        # The item the retired key refused goes dead; once the log is corrected, it is requeued in bulk.
        call(db, "pgattest_worker", "SELECT attestor.fail_submission(%s, %s, %s, false)",
             (second["submission_id"], second["claim_token"], err.diag.message_primary))
        assert call(db, "pgattest_app", "SELECT state FROM attestor.rekor_submission_queue WHERE id = %s",
                    (second["submission_id"],), tenant=tenant) == "dead"
        requeue = "SELECT * FROM attestor.requeue_dead_submissions(%s, %s, %s, %s)"
        assert call(db, "pgattest_admin", requeue, (log_id, "2000-01-01", "2000-01-02", "out of range"),
                    tenant=tenant, fetch="all") == []
        rows = call(db, "pgattest_admin", requeue, (log_id, "-infinity", "infinity", "window corrected"),
                    tenant=tenant, fetch="all")
        assert [r["submission_id"] for r in rows] == [second["submission_id"]]
        assert "check log_key_valid failed" in rows[0]["last_error"] and rows[0]["last_error"].startswith("requeued by ")
        assert call(db, "pgattest_app", "SELECT state FROM attestor.rekor_submission_queue WHERE id = %s",
                    (second["submission_id"],), tenant=tenant) == "pending"
        last = events(db, log_id)[-1]
        assert last["action"] == "requeue_dead" and last["changes"]["requeued"] == 1 and last["changes"]["tenant_id"] == tenant
        assert sqlstate(call, db, "pgattest_admin", requeue, (log_id, "-infinity", "infinity", None)) == INSUFFICIENT_PRIVILEGE
        assert sqlstate(call, db, "pgattest_admin", requeue, (log_id, "2001-01-01", "2000-01-01", None),
                        tenant=tenant) == INVALID_PARAMETER


def test_a_v1_entry_without_its_set_stores_only_what_signatures_cover(db, signer):
    with LocalRekor("v1") as mock:
        log_id = register(db, mock)
        tenant = new_tenant(db, signer, "noset")
        envelopes = [call(db, "pgattest_app", "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                          (json.dumps(signer.envelope()), log_id), tenant=tenant) for _ in range(2)]
        items = claim_these(db, envelopes)
        entries = []
        for item in items:
            entry = submit_to_log(mock, item["envelope"], item["verifier_pem"])
            (uuid, inner), = entry.items()
            del inner["verification"]["signedEntryTimestamp"]
            inner["logIndex"] = 999_999_999                                # covered by nothing now
            entries.append((uuid, inner))
        # A forged tree-id prefix on the entry id: refused (the signed checkpoint names the tree).
        uuid, inner = entries[0]
        forged = f"{mock.tree_id + 1:016x}{uuid[16:]}"
        err = error_of(complete, db, items[0], {forged: inner})
        assert err.sqlstate == INVALID_PARAMETER and "check leaf_hash failed" in err.diag.message_primary
        entry_id = complete(db, items[0], {uuid: inner})
        row = call(db, "pgattest_app", "SELECT log_index, entry_id, integrated_time, shard_log_index "
                                       "FROM proofchain.rekor_entries WHERE id = %s", (entry_id,), tenant=tenant)
        assert row["log_index"] is None and row["integrated_time"] is None, "no SET: no index or time is stored"
        assert row["entry_id"] == f"{mock.tree_id:016x}{uuid[16:]}"
        assert call(db, "pgattest_app", "SELECT proofchain.verify_stored_entry(%s) ->> 'verified'", (entry_id,),
                    tenant=tenant) == "true"
