"""Issue 17: the verdict ledger. Appends chain per tenant; every kind of tamper (made as a
superuser with triggers disabled) is reported at its first broken link; anchors go through
the worker and the test log; proofs verify with the library's own verifiers."""

import hashlib
import json
import struct
import threading
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest import merkle
from pgattest.errors import (FOREIGN_KEY_VIOLATION, INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER, LEDGER_APPEND_ONLY,
                             LEDGER_CHECKPOINT_MISMATCH,
                             NULL_NOT_ALLOWED, PROGRAM_LIMIT_EXCEEDED, SERIALIZATION_FAILURE)
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log
from worker.rekor_worker import Worker

CHECKPOINT_PREDICATE = "https://pgattest.dev/verdict-ledger-checkpoint/v1"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
ZERO = bytes(32)
APPEND = "SELECT * FROM verdict.append(%s, %s, %s)"


def digest(n):
    return "sha256:" + hashlib.sha256(str(n).encode()).hexdigest()


def app(db, tenant, sql, params=(), fetch="all"):
    return call(db, "pgattest_app", sql, params, tenant=tenant, fetch=fetch)


def sqlstate(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate


def superuser(db, sql, params=(), replica=False):
    """Run sql as the superuser; replica=True disables every trigger (and foreign key) first."""
    with psycopg.connect(db) as conn:
        if replica:
            conn.execute("SET session_replication_role = replica")
        conn.execute(sql, params)


def fill(db, tenant, n, start=0):
    """n entries on tenant, in one transaction; their rows."""
    with psycopg.connect(db, row_factory=dict_row) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        return [conn.execute(APPEND, (digest(i % 3), ("pass", "warn", "fail")[i % 3], f"reason {i}")).fetchone()
                for i in range(start, start + n)]


def entries(db, tenant):
    return app(db, tenant, "SELECT * FROM verdict.ledger_entries ORDER BY seq")


def verify(db, tenant, from_seq=None, to_seq=None):
    return app(db, tenant, "SELECT * FROM verdict.verify(%s, %s)", (from_seq, to_seq), fetch="one")


def leaf_bytes(row):
    """The documented layout (deploy/_pgattest/ledger_leaf.sql), written again from the text."""
    def text(value):
        data = value.encode()
        return struct.pack(">I", len(data)) + data

    def array(values):
        joined = ",".join(str(v) for v in values).encode()
        return struct.pack(">II", len(values), len(joined)) + joined

    micros = (row["recorded_at"] - EPOCH) // timedelta(microseconds=1)
    return (b"\x01" + text(row["tenant_id"]) + struct.pack(">q", row["seq"]) + row["id"].bytes + text(row["kind"])
            + struct.pack(">q", micros) + text(row["subject_digest"]) + text(row["decision"]) + text(row["reason"])
            + (text(row["policy_digest"]) if row["policy_digest"] is not None else struct.pack(">i", -1))
            + array(row["rekor_entry_ids"]) + array(row["spine_ids"]) + array(row["envelope_ids"])
            + array(row["vex_content_ids"]) + array(row["trust_verdict_ids"]) + row["prev_hash"])


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture
def tenant(db, signer):
    return new_tenant(db, signer, "ledger", predicates=None)


# --- appending --------------------------------------------------------------------------

def test_entries_chain_from_zero_and_hash_their_documented_bytes(db, tenant):
    rows = fill(db, tenant, 5)
    stored = entries(db, tenant)
    assert [r["seq"] for r in stored] == [1, 2, 3, 4, 5]
    assert [r["id"] for r in rows] == [r["id"] for r in stored]
    assert stored[0]["prev_hash"] == ZERO
    for before, row in zip(stored, stored[1:]):
        assert row["prev_hash"] == before["entry_hash"]
        assert row["recorded_at"] >= before["recorded_at"]
    for row in stored:
        assert row["entry_hash"] == merkle.leaf_hash(leaf_bytes(row)) == hashlib.sha256(b"\0" + leaf_bytes(row)).digest()
        assert row["kind"] == "decision"
    assert verify(db, tenant) == {"valid": True, "checked_from": 1, "checked_to": 5, "entries_checked": 5,
                                  "anchors_checked": 0, "broken_seq": None, "problem": None, "detail": None}


def test_proof_references_are_hashed_and_must_be_the_tenants(db, tenant, signer):
    other = new_tenant(db, signer, "ledger-other", predicates=None)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        envelope_id = app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)",
                          (json.dumps(signer.envelope()), log_id), fetch="one")
    vex_id, tv_id = digest("vex"), digest("tv")
    row = app(db, tenant, """SELECT * FROM verdict.append(%s, 'fail', 'CVE reachable', %s, envelope_ids => ARRAY[%s::uuid],
                                                          vex_content_ids => ARRAY[%s], trust_verdict_ids => ARRAY[%s])""",
              (digest(1), digest("policy"), envelope_id, vex_id, tv_id), fetch="one")
    assert (row["envelope_ids"], row["vex_content_ids"], row["trust_verdict_ids"], row["policy_digest"]) == \
        ([envelope_id], [vex_id], [tv_id], digest("policy"))
    assert row["entry_hash"] == merkle.leaf_hash(leaf_bytes(row))
    # Another tenant's envelope, and ids nobody holds, are not references.
    assert sqlstate(app, db, other, "SELECT verdict.append(%s, 'pass', 'x', envelope_ids => ARRAY[%s::uuid])",
                    (digest(1), envelope_id)) == FOREIGN_KEY_VIOLATION
    for kind in ("rekor_entry_ids", "spine_ids", "envelope_ids"):
        assert sqlstate(app, db, tenant, f"SELECT verdict.append(%s, 'pass', 'x', {kind} => ARRAY[gen_random_uuid()])",
                        (digest(1),)) == FOREIGN_KEY_VIOLATION


@pytest.mark.parametrize("args, code", [
    ("NULL, 'pass', 'r'", NULL_NOT_ALLOWED),
    ("%(s)s, NULL, 'r'", NULL_NOT_ALLOWED),
    ("%(s)s, 'pass', NULL", NULL_NOT_ALLOWED),
    ("'sha256:ABC', 'pass', 'r'", INVALID_PARAMETER),
    ("'sha512:' || repeat('a', 64), 'pass', 'r'", INVALID_PARAMETER),
    ("%(s)s, 'ok', 'r'", INVALID_PARAMETER),
    ("%(s)s, 'pass', 'r', 'md5:x'", INVALID_PARAMETER),
    ("%(s)s, 'pass', repeat('x', 4097)", PROGRAM_LIMIT_EXCEEDED),
    ("%(s)s, 'pass', 'r', vex_content_ids => array_fill(%(s)s::text, ARRAY[257])", PROGRAM_LIMIT_EXCEEDED),
    ("%(s)s, 'pass', 'r', vex_content_ids => ARRAY['sha256:x']", INVALID_PARAMETER),
    ("%(s)s, 'pass', 'r', trust_verdict_ids => ARRAY[NULL::text]", NULL_NOT_ALLOWED),
    ("%(s)s, 'pass', 'r', rekor_entry_ids => ARRAY[NULL::uuid]", NULL_NOT_ALLOWED),
])
def test_bad_appends_are_refused_typed_and_write_nothing(db, tenant, args, code):
    assert sqlstate(app, db, tenant, f"SELECT verdict.append({args})", {"s": digest(1)}) == code
    assert entries(db, tenant) == []


def test_without_a_tenant_nothing_is_appended_or_read(db, tenant):
    fill(db, tenant, 1)
    for sql in (f"SELECT verdict.append('{digest(1)}', 'pass', 'r')", "SELECT * FROM verdict.verify()",
                "SELECT * FROM verdict.checkpoint()", f"SELECT * FROM verdict.current('{digest(1)}')",
                "SELECT * FROM verdict.inclusion_proof(1)", "SELECT * FROM verdict.anchor_status()"):
        assert sqlstate(call, db, "pgattest_app", sql) == INSUFFICIENT_PRIVILEGE
    assert call(db, "pgattest_app", "SELECT count(*) AS n FROM verdict.ledger_entries") == 0


def test_current_is_the_latest_entry_and_history_keeps_the_rest(db, tenant):
    fill(db, tenant, 7)  # subjects 0,1,2,0,1,2,0
    assert app(db, tenant, "SELECT seq, decision FROM verdict.current(%s)", (digest(0),)) == [{"seq": 7, "decision": "pass"}]
    assert [r["seq"] for r in app(db, tenant, "SELECT seq FROM verdict.history(%s)", (digest(1),))] == [5, 2]
    assert app(db, tenant, "SELECT * FROM verdict.current(%s)", (digest("never"),)) == []
    assert sqlstate(app, db, tenant, "SELECT * FROM verdict.current(NULL)") == NULL_NOT_ALLOWED
    assert sqlstate(app, db, tenant, "SELECT * FROM verdict.history(NULL)") == NULL_NOT_ALLOWED


# --- append-only --------------------------------------------------------------------------

@pytest.mark.parametrize("table", ["verdict.ledger_entries", "verdict.anchors"])
def test_append_only_for_every_role_owner_and_superuser_included(db, tenant, table):
    fill(db, tenant, 2)
    for role in ("pgattest_app", "pgattest_admin", "pgattest_owner"):
        for sql in (f"UPDATE {table} SET tenant_id = tenant_id", f"DELETE FROM {table}", f"TRUNCATE {table}"):
            assert sqlstate(call, db, role, sql, tenant=tenant) == INSUFFICIENT_PRIVILEGE, (role, sql)
    if table == "verdict.ledger_entries":  # (row triggers need rows: the anchors' are tried in the round trip)
        superuser_refused(db, table)
    assert len(entries(db, tenant)) == 2


def superuser_refused(db, table):
    for sql in (f"UPDATE {table} SET tenant_id = tenant_id", f"DELETE FROM {table}", f"TRUNCATE {table}"):
        assert sqlstate(superuser, db, sql) == LEDGER_APPEND_ONLY, sql


# --- tamper detection: superuser edits with triggers disabled -----------------------------

EDITS = {
    "subject_digest": "subject_digest = %(other)s",
    "decision": "decision = CASE decision WHEN 'pass' THEN 'fail' ELSE 'pass' END",
    "reason": "reason = reason || ' '",
    "policy_digest": "policy_digest = %(other)s",
    "kind": "kind = 'trust_verdict_stored'",
    "recorded_at": "recorded_at = recorded_at + interval '1 microsecond'",
    "id": "id = gen_random_uuid()",
    "rekor_entry_ids": "rekor_entry_ids = ARRAY[gen_random_uuid()]",
    "spine_ids": "spine_ids = ARRAY[gen_random_uuid()]",
    "envelope_ids": "envelope_ids = ARRAY[gen_random_uuid()]",
    "vex_content_ids": "vex_content_ids = ARRAY[%(other)s]",
    "trust_verdict_ids": "trust_verdict_ids = ARRAY[%(other)s]",
    "prev_hash": "prev_hash = set_byte(prev_hash, 0, get_byte(prev_hash, 0) # 1)",
    "entry_hash": "entry_hash = set_byte(entry_hash, 31, get_byte(entry_hash, 31) # 1)",
}


@pytest.mark.parametrize("column", sorted(EDITS))
def test_an_edit_of_any_column_is_reported_at_its_entry(db, tenant, column):
    fill(db, tenant, 8)
    superuser(db, f"UPDATE verdict.ledger_entries SET {EDITS[column]} WHERE tenant_id = %(t)s AND seq = 4",
              {"t": tenant, "other": digest("other")}, replica=True)
    result = verify(db, tenant)
    assert (result["valid"], result["broken_seq"], result["problem"]) == (False, 4, "altered"), result
    assert verify(db, tenant, 1, 3)["valid"] and verify(db, tenant, 5, 8)["problem"] in (None, "broken_link")


def test_moving_an_entry_to_another_tenant_is_a_gap_here_and_an_alteration_there(db, tenant, signer):
    other = new_tenant(db, signer, "ledger-other", predicates=None)
    fill(db, tenant, 5)
    fill(db, other, 2)
    superuser(db, "UPDATE verdict.ledger_entries SET tenant_id = %s, seq = 3 WHERE tenant_id = %s AND seq = 2",
              (other, tenant), replica=True)
    assert verify(db, tenant)["problem"] == "missing" and verify(db, tenant)["broken_seq"] == 2
    assert (verify(db, other)["problem"], verify(db, other)["broken_seq"]) == ("altered", 3)


@pytest.mark.parametrize("seq", [1, 5, 8])
def test_a_deleted_entry_is_reported_missing(db, tenant, seq):
    fill(db, tenant, 8)
    superuser(db, "DELETE FROM verdict.ledger_entries WHERE tenant_id = %s AND seq = %s", (tenant, seq), replica=True)
    result = verify(db, tenant, 1, 8)
    assert (result["valid"], result["broken_seq"], result["problem"]) == (False, seq, "missing"), result


def test_reordered_entries_are_reported_at_the_first(db, tenant):
    fill(db, tenant, 8)
    for old, new in ((4, 1000), (6, 4), (1000, 6)):  # entries 4 and 6 swap places
        superuser(db, "UPDATE verdict.ledger_entries SET seq = %s WHERE tenant_id = %s AND seq = %s",
                  (new, tenant, old), replica=True)
    result = verify(db, tenant)
    assert (result["broken_seq"], result["problem"]) == (4, "altered"), result


def test_a_replaced_entry_with_its_own_hash_recomputed_breaks_the_next_link(db, tenant):
    fill(db, tenant, 8)
    rewrite(db, tenant, 5, 5)
    result = verify(db, tenant)
    assert (result["broken_seq"], result["problem"]) == (6, "broken_link"), result


def test_a_forged_genesis_is_reported(db, tenant):
    fill(db, tenant, 3)
    rewrite(db, tenant, 1, 3, prev_of_first="'\\x01'::bytea || substr(prev_hash, 2)")
    assert (verify(db, tenant)["broken_seq"], verify(db, tenant)["problem"]) == (1, "bad_genesis")


def rewrite(db, tenant, first, last, prev_of_first=None):
    """As an attacker with the superuser's rights: change entry first's reason and recompute
    the hashes of entries first..last so each links to the one before."""
    superuser(db, f"""
        DO $$
        DECLARE r verdict.ledger_entries; prev bytea;
        BEGIN
            FOR r IN SELECT * FROM verdict.ledger_entries WHERE tenant_id = '{tenant}' AND seq BETWEEN {first} AND {last}
                      ORDER BY seq LOOP
                IF r.seq = {first} THEN
                    r.reason := r.reason || ' (rewritten)';
                    {'r.prev_hash := ' + prev_of_first.replace('prev_hash', 'r.prev_hash') + ';' if prev_of_first else ''}
                ELSE
                    r.prev_hash := prev;
                END IF;
                r.entry_hash := sha256('\\x00'::bytea || _pgattest.ledger_leaf(r.tenant_id, r.seq, r.id, r.kind, r.recorded_at,
                    r.subject_digest, r.decision, r.reason, r.policy_digest, r.rekor_entry_ids, r.spine_ids, r.envelope_ids,
                    r.vex_content_ids, r.trust_verdict_ids, r.prev_hash));
                UPDATE verdict.ledger_entries SET reason = r.reason, prev_hash = r.prev_hash, entry_hash = r.entry_hash
                 WHERE tenant_id = r.tenant_id AND seq = r.seq;
                prev := r.entry_hash;
            END LOOP;
        END $$""", replica=True)


def test_range_errors(db, tenant):
    fill(db, tenant, 3)
    for args in ((0, None), (2, 1), (None, 0)):
        assert sqlstate(verify, db, tenant, *args) == INVALID_PARAMETER
    assert verify(db, tenant, 2, 5)["problem"] == "missing" and verify(db, tenant, 2, 5)["broken_seq"] == 4


# --- concurrency --------------------------------------------------------------------------

def test_eight_concurrent_appenders_make_one_gapless_chain(db, tenant):
    errors = []

    def appender(k):
        try:
            with psycopg.connect(db, autocommit=True) as conn:
                conn.execute("SET ROLE pgattest_app")
                for i in range(40):
                    with conn.transaction():
                        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
                        conn.execute(APPEND, (digest(k), "pass", f"appender {k} entry {i}"))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=appender, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    stored = entries(db, tenant)
    assert [r["seq"] for r in stored] == list(range(1, 321))
    assert sorted(r["reason"] for r in stored) == sorted(f"appender {k} entry {i}" for k in range(8) for i in range(40))
    assert verify(db, tenant)["valid"]


def test_a_tenant_holding_its_lock_blocks_its_own_appenders_only(db, tenant, signer):
    other = new_tenant(db, signer, "ledger-other", predicates=None)
    with psycopg.connect(db) as holder:
        holder.execute("SET ROLE pgattest_app")
        holder.execute("SELECT core.set_tenant(%s)", (tenant,))
        holder.execute(APPEND, (digest(1), "pass", "held"))  # lock held until this transaction ends
        with psycopg.connect(db) as conn:
            conn.execute("SET ROLE pgattest_app")
            conn.execute("SET lock_timeout = '300ms'")
            conn.execute("SELECT core.set_tenant(%s)", (other,))
            assert conn.execute(APPEND, (digest(1), "pass", "not blocked")).fetchone()[4] == 1
            conn.commit()
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            with pytest.raises(psycopg.errors.LockNotAvailable):
                conn.execute(APPEND, (digest(1), "pass", "waits"))
        holder.commit()
    assert [r["reason"] for r in entries(db, tenant)] == ["held"]


def test_a_repeatable_read_snapshot_that_missed_an_append_gets_40001(db, tenant):
    fill(db, tenant, 1)
    with psycopg.connect(db) as stale:
        stale.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        stale.execute("SET ROLE pgattest_app")
        stale.execute("SELECT core.set_tenant(%s)", (tenant,))
        stale.execute("SELECT count(*) FROM verdict.ledger_entries").fetchone()  # the snapshot is taken
        fill(db, tenant, 1, start=1)
        with pytest.raises(psycopg.Error) as exc:
            stale.execute(APPEND, (digest(1), "pass", "stale"))
        assert exc.value.sqlstate == SERIALIZATION_FAILURE
        stale.rollback()
    assert len(entries(db, tenant)) == 2 and verify(db, tenant)["valid"]


# --- proofs -------------------------------------------------------------------------------

def test_proofs_verify_with_the_library_verifiers(db, tenant):
    fill(db, tenant, 13)
    stored = entries(db, tenant)
    for size in (1, 2, 7, 8, 13):
        for seq in range(1, size + 1):
            p = app(db, tenant, "SELECT * FROM verdict.inclusion_proof(%s, %s)", (seq, size), fetch="one")
            assert p["leaf"] == leaf_bytes(stored[seq - 1]) and p["leaf_hash"] == merkle.leaf_hash(p["leaf"])
            assert (p["leaf_index"], p["tree_size"]) == (seq - 1, size)
            assert merkle.verify_inclusion(p["leaf_hash"], seq - 1, size, p["proof"], p["root_hash"])
            assert not merkle.verify_inclusion(merkle.leaf_hash(p["leaf"] + b"x"), seq - 1, size, p["proof"], p["root_hash"])
    head = app(db, tenant, "SELECT * FROM verdict.checkpoint()", fetch="one")
    assert head["tree_size"] == 13
    for old in range(1, 14):
        c = app(db, tenant, "SELECT * FROM verdict.consistency_proof(%s)", (old,), fetch="one")
        assert c["new_size"] == 13 and c["new_root"] == head["root_hash"]
        assert merkle.verify_consistency(old, 13, c["old_root"], c["new_root"], c["proof"])
        assert c["old_root"] == app(db, tenant, "SELECT root_hash FROM verdict.inclusion_proof(1, %s)", (old,), fetch="one")
    for sql, code in (("SELECT * FROM verdict.inclusion_proof(NULL)", NULL_NOT_ALLOWED),
                      ("SELECT * FROM verdict.inclusion_proof(0)", INVALID_PARAMETER),
                      ("SELECT * FROM verdict.inclusion_proof(14)", INVALID_PARAMETER),
                      ("SELECT * FROM verdict.inclusion_proof(3, 2)", INVALID_PARAMETER),
                      ("SELECT * FROM verdict.inclusion_proof(3, 20)", INVALID_PARAMETER),
                      ("SELECT * FROM verdict.consistency_proof(NULL)", NULL_NOT_ALLOWED),
                      ("SELECT * FROM verdict.consistency_proof(0)", INVALID_PARAMETER),
                      ("SELECT * FROM verdict.consistency_proof(5, 4)", INVALID_PARAMETER),
                      ("SELECT * FROM verdict.consistency_proof(5, 14)", INVALID_PARAMETER)):
        assert sqlstate(app, db, tenant, sql) == code, sql


def test_the_empty_ledger_checkpoint(db, tenant):
    head = app(db, tenant, "SELECT * FROM verdict.checkpoint()", fetch="one")
    assert (head["tree_size"], head["root_hash"]) == (0, hashlib.sha256(b"").digest())
    assert sqlstate(app, db, tenant, "SELECT * FROM verdict.inclusion_proof(1)") == INVALID_PARAMETER


# --- anchoring round trip -----------------------------------------------------------------

@pytest.fixture(scope="module")
def log(db):
    with LocalRekor("v2") as mock:
        mock.db_log_id = register_log(db, mock)
        yield mock


def drain(db):
    worker = Worker(db, "ledger-anchors", batch=50, role="pgattest_worker")
    while worker.run_once():
        pass


def anchor(db, tenant, signer, log):
    """The tenant's round trip: checkpoint, sign its statement, submit, the worker logs it."""
    head = app(db, tenant, "SELECT * FROM verdict.checkpoint()", fetch="one")
    envelope = signer.envelope(payload=json.dumps(head["statement"]).encode())
    app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(envelope), log.db_log_id), fetch="one")
    drain(db)
    return head


def test_anchoring_round_trip_through_the_worker_and_the_log(db, tenant, signer, log):
    fill(db, tenant, 6)
    assert app(db, tenant, "SELECT * FROM verdict.anchor_status()", fetch="one")["anchor_age"] is None
    head = anchor(db, tenant, signer, log)
    body = f"pgattest/verdict-ledger/{tenant}\n6\n" + __import__("base64").b64encode(head["root_hash"]).decode() + "\n"
    assert head["checkpoint"] == body
    assert head["statement"]["subject"] == [{"name": f"pgattest/verdict-ledger/{tenant}",
                                             "digest": {"sha256": hashlib.sha256(body.encode()).hexdigest()}}]
    assert head["statement"]["predicateType"] == CHECKPOINT_PREDICATE
    anchors = app(db, tenant, """SELECT a.tree_size, a.root_hash, a.checkpoint, e.uuid, a.anchored_at = e.integrated_time AS timed
                                   FROM verdict.anchors a JOIN proofchain.rekor_entries e ON e.id = a.rekor_entry_id""")
    assert len(anchors) == 1
    assert (anchors[0]["tree_size"], anchors[0]["root_hash"], anchors[0]["checkpoint"]) == (6, head["root_hash"], body)
    status = app(db, tenant, "SELECT * FROM verdict.anchor_status()", fetch="one")
    assert (status["ledger_size"], status["anchored_size"], status["unanchored_entries"]) == (6, 6, 0)
    assert status["anchor_age"] >= timedelta(0)
    ages = call(db, "pgattest_admin", "SELECT * FROM verdict.anchor_ages() WHERE tenant_id = %s", (tenant,), fetch="one")
    assert (ages["anchored_size"], ages["ledger_size"]) == (6, 6)

    fill(db, tenant, 4, start=6)
    result = verify(db, tenant)  # every entry, and the anchor over the recomputed hashes
    assert (result["valid"], result["checked_from"], result["checked_to"], result["entries_checked"],
            result["anchors_checked"]) == (True, 1, 10, 10, 1)
    assert verify(db, tenant, 1)["entries_checked"] == 10
    # An auditor holding only the anchored checkpoint: entry 3 is in it, and today's head extends it.
    p = app(db, tenant, "SELECT * FROM verdict.inclusion_proof(3, 6)", fetch="one")
    assert merkle.verify_inclusion(p["leaf_hash"], 2, 6, p["proof"], anchors[0]["root_hash"])
    c = app(db, tenant, "SELECT * FROM verdict.consistency_proof(6)", fetch="one")
    assert merkle.verify_consistency(6, 10, anchors[0]["root_hash"], c["new_root"], c["proof"])
    assert app(db, tenant, "SELECT * FROM verdict.anchor_status()", fetch="one")["unanchored_entries"] == 4
    superuser_refused(db, "verdict.anchors")


@pytest.mark.parametrize("column", sorted(EDITS))
def test_an_edit_before_the_last_anchor_is_found_with_the_defaults(db, tenant, signer, log, column):
    # The review's repro: the anchor covers the whole ledger, so a verification starting at
    # the last anchor would check nothing before it; the defaults must rehash every entry.
    fill(db, tenant, 3)
    anchor(db, tenant, signer, log)
    superuser(db, f"UPDATE verdict.ledger_entries SET {EDITS[column]} WHERE tenant_id = %(t)s AND seq = 1",
              {"t": tenant, "other": digest("other")}, replica=True)
    result = verify(db, tenant)
    assert (result["valid"], result["checked_from"], result["checked_to"], result["entries_checked"],
            result["broken_seq"], result["problem"]) == (False, 1, 3, 3, 1, "altered"), result


def test_an_edited_entry_hash_before_an_anchor_is_altered_not_a_mismatch(db, tenant, signer, log):
    # The anchor roots are computed over the recomputed hashes: an edited stored hash alone
    # does not move the root, and the entry is reported where it is.
    fill(db, tenant, 6)
    anchor(db, tenant, signer, log)
    fill(db, tenant, 2, start=6)
    superuser(db, "UPDATE verdict.ledger_entries SET entry_hash = sha256(entry_hash) WHERE tenant_id = %s AND seq = 2",
              (tenant,), replica=True)
    for args in ((), (1,), (1, 8)):
        result = verify(db, tenant, *args)
        assert (result["broken_seq"], result["problem"]) == (2, "altered"), (args, result)
    # A range after the edit: its own links hold, the anchor over entries 1 to 6 does too.
    assert verify(db, tenant, 4)["valid"]


def forged_checkpoint(tenant, size, root):
    """The statement verdict.checkpoint() would return for this size and root."""
    body = f"pgattest/verdict-ledger/{tenant}\n{size}\n" + __import__("base64").b64encode(root).decode() + "\n"
    return {"_type": "https://in-toto.io/Statement/v1", "predicateType": CHECKPOINT_PREDICATE,
            "subject": [{"name": f"pgattest/verdict-ledger/{tenant}", "digest": {"sha256": hashlib.sha256(body.encode()).hexdigest()}}],
            "predicate": {"checkpoint": body}}


def test_a_checkpoint_that_is_not_the_ledgers_is_refused_when_submitted(db, tenant, signer, log):
    fill(db, tenant, 3)
    head = app(db, tenant, "SELECT * FROM verdict.checkpoint()", fetch="one")
    assert forged_checkpoint(tenant, 3, head["root_hash"]) == head["statement"]  # the forgery's form is the real one's

    def submit(statement):
        envelope = signer.envelope(payload=json.dumps(statement).encode())
        return app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(envelope), log.db_log_id),
                   fetch="one")

    for size, root, named in ((3, hashlib.sha256(b"not the root").digest(), "is not the root"),  # wrong root
                              (2, head["root_hash"], "is not the root"),  # the head's root at another size
                              (4, head["root_hash"], "beyond the head"),  # a size the ledger has not reached
                              (10 ** 17, head["root_hash"], "beyond the head")):
        with pytest.raises(psycopg.Error) as exc:
            submit(forged_checkpoint(tenant, size, root))
        assert exc.value.sqlstate == LEDGER_CHECKPOINT_MISMATCH, (size, exc.value)
        assert named in exc.value.diag.message_primary and str(size) in exc.value.diag.message_primary
        assert exc.value.diag.message_hint
    assert app(db, tenant, "SELECT count(*) AS n FROM proofchain.dsse_envelopes", fetch="one") == 0
    # An earlier size with its own root is the ledger's: accepted, anchored, and valid.
    fill(db, tenant, 2, start=3)
    submit(head["statement"])
    drain(db)
    assert app(db, tenant, "SELECT tree_size FROM verdict.anchors") == [{"tree_size": 3}]
    assert verify(db, tenant)["valid"]


def test_a_checkpoint_of_another_tenants_ledger_is_not_an_anchor(db, tenant, signer, log):
    other = new_tenant(db, signer, "ledger-other", predicates=None)
    fill(db, other, 2)
    head = app(db, other, "SELECT * FROM verdict.checkpoint()", fetch="one")
    envelope = signer.envelope(payload=json.dumps(head["statement"]).encode())
    app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(envelope), log.db_log_id), fetch="one")
    drain(db)
    assert app(db, tenant, "SELECT count(*) AS n FROM proofchain.rekor_entries", fetch="one") == 1
    assert app(db, tenant, "SELECT count(*) AS n FROM verdict.anchors", fetch="one") == 0


def test_a_rewritten_middle_with_recomputed_suffix_is_found_against_the_anchor(db, tenant, signer, log):
    fill(db, tenant, 8)
    anchor(db, tenant, signer, log)
    fill(db, tenant, 2, start=8)
    rewrite(db, tenant, 3, 10)
    # Every link is consistent again: only the anchor shows the rewrite.
    result = verify(db, tenant, 1)
    assert (result["valid"], result["broken_seq"], result["problem"]) == (False, 8, "anchor_mismatch"), result
    assert verify(db, tenant)["problem"] == "anchor_mismatch"


def test_a_truncated_tail_is_found_against_the_anchored_size(db, tenant, signer, log):
    fill(db, tenant, 8)
    anchor(db, tenant, signer, log)
    superuser(db, "DELETE FROM verdict.ledger_entries WHERE tenant_id = %s AND seq >= 6", (tenant,), replica=True)
    result = verify(db, tenant, 1)
    assert (result["valid"], result["broken_seq"], result["problem"]) == (False, 6, "truncated"), result


def test_an_edited_anchor_is_reported(db, tenant, signer, log):
    fill(db, tenant, 4)
    anchor(db, tenant, signer, log)
    superuser(db, "UPDATE verdict.anchors SET root_hash = sha256(root_hash) WHERE tenant_id = %s", (tenant,), replica=True)
    result = verify(db, tenant, 1)
    assert (result["valid"], result["problem"]) == (False, "anchor_invalid"), result


# --- revert and redeploy ------------------------------------------------------------------

LAST_TABLE_CHANGE = "trustverdict/verdict_counts"  # the module's tables come before its functions


@pytest.mark.slow
def test_reverting_the_functions_and_deploying_again_keeps_every_entry(server, fresh_db, signer):
    from ops import cluster
    from tests.support.db_snapshot import table_contents
    from tests.test_migrations import plan_changes, uri
    from tests.test_trustverdict import store, vsa

    names = plan_changes()
    assert all(names.index(LAST_TABLE_CHANGE) < names.index(f) for f in ("verdict/append", "trustverdict/store"))
    name, dsn = fresh_db()
    tenant = new_tenant(dsn, signer, "ledger-mig", predicates=None)
    fill(dsn, tenant, 20)
    store(dsn, tenant, signer, vsa(subject=1))
    store(dsn, tenant, signer, vsa(subject=1, result="FAILED"))
    before = table_contents(dsn)
    assert before["verdict.ledger_entries"][0] == 22 and before["trustverdict.verdicts"][0] == 2
    cluster.sqitch(["revert", "-y", "--to", LAST_TABLE_CHANGE], uri(server, name))
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT to_regprocedure('verdict.verify(bigint, bigint)')").fetchone()[0] is None
    # Changes after the ledger's tables in the plan (later modules' tables among them) are
    # reverted too; every table that stays keeps its rows, the ledger's above all.
    # _pgattest.pylib is code, not data: a library reworked later in the plan is reverted with
    # it (the previous library's rows), and put back by the redeploy.
    after = table_contents(dsn)
    library = after.pop("_pgattest.pylib", None)
    assert {"verdict.ledger_entries", "verdict.anchors", "trustverdict.verdicts"} <= set(after)
    assert after == {t: before[t] for t in after}
    cluster.sqitch(["deploy", "--verify"], uri(server, name))
    again = table_contents(dsn)
    assert set(again) == set(before) and {t: again[t] for t in after} == after
    assert library is None or again["_pgattest.pylib"] == before["_pgattest.pylib"]
    assert verify(dsn, tenant)["valid"] and verify(dsn, tenant)["entries_checked"] == 22
    assert fill(dsn, tenant, 1, start=20)[0]["seq"] == 23
