"""Issue 17: trust verdicts from DSSE-signed SLSA VSAs: content ids, supersession, tombstones,
keyset pages, stats, a ledger entry for every store and delete, and every refusal typed."""

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest

from pgattest import canonical
from pgattest.errors import (IMMUTABLE_VIOLATION, INSUFFICIENT_PRIVILEGE, INVALID_DATETIME, INVALID_PARAMETER, INVALID_TEXT,
                             NULL_NOT_ALLOWED, OBJECT_NOT_IN_STATE)
from tests.support.queue_helpers import Signer, call, new_tenant

VSA = "https://slsa.dev/verification_summary/v1"
STORE = "SELECT * FROM trustverdict.store(%s::jsonb)"


def sha(n):
    return hashlib.sha256(str(n).encode()).hexdigest()


def vsa(subject=1, verifier="https://verifier.example/a", result="PASSED", time="2026-11-30T04:00:00Z",
        policy=sha("policy"), inputs=(sha("att-1"), sha("att-2")), pgattest=None, **override):
    predicate = {"verifier": {"id": verifier}, "timeVerified": time, "resourceUri": "pkg:oci/app",
                 "policy": {"uri": "https://policy.example/p", "digest": {"sha256": policy}},
                 "inputAttestations": [{"uri": f"att-{i}", "digest": {"sha256": d}} for i, d in enumerate(inputs)],
                 "verificationResult": result, "verifiedLevels": ["SLSA_BUILD_LEVEL_3"]}
    if pgattest is not None:
        predicate["pgattest"] = pgattest
    statement = {"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "app", "digest": {"sha256": sha(subject)}}],
                 "predicateType": VSA, "predicate": predicate}
    statement.update(override)
    return statement


def signed(signer, statement):
    payload = json.dumps(statement).encode()
    return signer.envelope(payload=payload), payload


def app(db, tenant, sql, params=(), fetch="all"):
    return call(db, "pgattest_app", sql, params, tenant=tenant, fetch=fetch)


def sqlstate(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate


def store(db, tenant, signer, statement):
    envelope, _ = signed(signer, statement)
    return app(db, tenant, STORE, (json.dumps(envelope),), fetch="one")


def stats(db, tenant):
    return {(r["dimension"], r["key"]): r["verdicts"] for r in app(db, tenant, "SELECT * FROM trustverdict.stats()")}


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture
def tenant(db, signer):
    return new_tenant(db, signer, "tv", predicates=None)


def test_a_vsa_is_stored_mapped_content_addressed_and_recorded_in_the_ledger(db, tenant, signer):
    statement = vsa(pgattest={"score": 0.875, "decision": "warn"})
    envelope, payload = signed(signer, statement)
    stored = app(db, tenant, STORE, (json.dumps(envelope),), fetch="one")
    assert stored["content_id"] == canonical.content_id(payload.decode()) and stored["created"] is True
    row = app(db, tenant, "SELECT * FROM trustverdict.get(%s)", (stored["content_id"],), fetch="one")
    assert (row["subject_digest"], row["issuer"], row["score"], row["decision"], row["policy_digest"]) == \
        ("sha256:" + sha(1), "https://verifier.example/a", pytest.approx(0.875), "warn", "sha256:" + sha("policy"))
    assert row["evidence_ids"] == ["sha256:" + sha("att-1"), "sha256:" + sha("att-2")]
    assert row["body_text"] == payload.decode() and row["body"] == statement and row["envelope"] == envelope
    assert row["verified_at"].isoformat() == "2026-11-30T04:00:00+00:00"
    entry = app(db, tenant, "SELECT * FROM verdict.ledger_entries WHERE seq = %s", (stored["ledger_seq"],), fetch="one")
    assert (entry["kind"], entry["subject_digest"], entry["decision"], entry["trust_verdict_ids"], entry["policy_digest"]) == \
        ("trust_verdict_stored", row["subject_digest"], "warn", [stored["content_id"]], row["policy_digest"])
    # The same verdict again (even re-signed): the same id, nothing written.
    again = store(db, tenant, signer, json.loads(payload))
    assert (again["content_id"], again["verdict_id"], again["created"]) == (stored["content_id"], stored["verdict_id"], False)
    assert app(db, tenant, "SELECT count(*) AS n FROM verdict.ledger_entries", fetch="one") == 1
    assert app(db, tenant, "SELECT count(*) AS n FROM trustverdict.verdicts", fetch="one") == 1


def test_defaults_of_the_mapping(db, tenant, signer):
    passed = store(db, tenant, signer, vsa(subject=2, policy=None, inputs=()))
    failed = store(db, tenant, signer, vsa(subject=3, result="FAILED"))
    rows = {r["content_id"]: r for r in app(db, tenant, "SELECT * FROM trustverdict.query()")}
    assert (rows[passed["content_id"]]["decision"], float(rows[passed["content_id"]]["score"])) == ("pass", 1.0)
    assert rows[passed["content_id"]]["evidence_ids"] == []
    assert (rows[failed["content_id"]]["decision"], float(rows[failed["content_id"]]["score"])) == ("fail", 0.0)


def test_a_newer_verdict_supersedes_and_history_is_kept(db, tenant, signer):
    first = store(db, tenant, signer, vsa(time="2026-11-30T01:00:00Z"))
    other_issuer = store(db, tenant, signer, vsa(verifier="https://verifier.example/b"))
    second = store(db, tenant, signer, vsa(time="2026-11-30T02:00:00Z", result="FAILED"))
    assert second["supersedes"] == first["verdict_id"] and other_issuer["supersedes"] is None
    old = app(db, tenant, "SELECT * FROM trustverdict.get(%s)", (first["content_id"],), fetch="one")
    assert old["superseded_by"] == second["verdict_id"] and old["superseded_at"] is not None
    current = app(db, tenant, "SELECT content_id FROM trustverdict.query(subject_digest => %s)", ("sha256:" + sha(1),))
    assert {r["content_id"] for r in current} == {second["content_id"], other_issuer["content_id"]}
    everything = app(db, tenant, "SELECT content_id FROM trustverdict.query(subject_digest => %s, include_superseded => true)",
                     ("sha256:" + sha(1),))
    assert len(everything) == 3
    assert stats(db, tenant)[("decision", "pass")] == 1 and stats(db, tenant)[("decision", "fail")] == 1
    kinds = app(db, tenant, "SELECT kind, decision FROM verdict.history(%s)", ("sha256:" + sha(1),))
    assert [k["decision"] for k in kinds] == ["fail", "pass", "pass"]
    assert app(db, tenant, "SELECT decision FROM verdict.current(%s)", ("sha256:" + sha(1),), fetch="one") == "fail"


def test_delete_is_a_tombstone_recorded_in_the_ledger(db, tenant, signer):
    kept = store(db, tenant, signer, vsa(subject=5))
    gone = store(db, tenant, signer, vsa(subject=6))
    deleted = app(db, tenant, "SELECT * FROM trustverdict.delete(%s, %s)", (gone["content_id"], "issued by mistake"), fetch="one")
    assert app(db, tenant, "SELECT * FROM trustverdict.get(%s)", (gone["content_id"],)) == []
    assert [r["content_id"] for r in app(db, tenant, "SELECT content_id FROM trustverdict.query(include_superseded => true)")] == \
        [kept["content_id"]]
    with psycopg.connect(db) as conn:  # the row stays, with when and why
        row = conn.execute("SELECT deleted_at, deletion_reason FROM trustverdict.verdicts WHERE content_id = %s",
                           (gone["content_id"],)).fetchone()
    assert row == (deleted["deleted_at"], "issued by mistake")
    entry = app(db, tenant, "SELECT * FROM verdict.ledger_entries WHERE seq = %s", (deleted["ledger_seq"],), fetch="one")
    assert (entry["kind"], entry["trust_verdict_ids"], entry["reason"]) == \
        ("trust_verdict_deleted", [gone["content_id"]], "trust verdict deleted: issued by mistake")
    assert stats(db, tenant)[("total", "all")] == 1
    assert sqlstate(app, db, tenant, "SELECT * FROM trustverdict.delete(%s, 'again')", (gone["content_id"],)) == OBJECT_NOT_IN_STATE
    assert sqlstate(store, db, tenant, signer, vsa(subject=6)) == OBJECT_NOT_IN_STATE
    for args, code in (((None, "r"), NULL_NOT_ALLOWED), ((kept["content_id"], None), NULL_NOT_ALLOWED),
                       (("sha256:" + sha("nothing"), "r"), INVALID_PARAMETER), ((kept["content_id"], " "), INVALID_PARAMETER),
                       ((kept["content_id"], "x" * 1025), INVALID_PARAMETER)):
        assert sqlstate(app, db, tenant, "SELECT * FROM trustverdict.delete(%s, %s)", args) == code, args
    assert app(db, tenant, "SELECT verify.valid FROM verdict.verify(1) verify", fetch="one") is True


def test_keyset_pages_and_filters(db, tenant, signer):
    ids = []
    for i in range(25):
        ids.append(store(db, tenant, signer, vsa(subject=100 + i, verifier=f"https://v.example/{i % 2}",
                                                 result="FAILED" if i % 5 == 0 else "PASSED",
                                                 pgattest={"score": i / 25})))
    seen, after = [], (None, None)
    while True:
        page = app(db, tenant, """SELECT id, content_id, created_at FROM trustverdict.query(after_created_at => %s,
                                                                                            after_id => %s, page_size => 10)""",
                   after)
        if not page:
            break
        assert len(page) <= 10
        seen += page
        after = (page[-1]["created_at"], page[-1]["id"])
    assert sorted(r["content_id"] for r in seen) == sorted(v["content_id"] for v in ids)
    assert [(r["created_at"], r["id"]) for r in seen] == sorted(((r["created_at"], r["id"]) for r in seen), reverse=True)

    def count(**filters):
        args = ", ".join(f"{k} => %({k})s" for k in filters)
        return len(app(db, tenant, f"SELECT id FROM trustverdict.query({args}, page_size => 1000)", filters))

    assert count(issuer="https://v.example/0") == 13
    assert count(decision="fail") == 5
    assert count(min_score=Decimal("0.5")) == 12 and count(min_score=Decimal("0.2"), max_score=Decimal("0.4")) == 6
    assert count(subject_digest="sha256:" + sha(107)) == 1
    first = seen[-1]["created_at"]
    assert count(stored_from=first) == 25 and count(stored_until=first) == 0
    assert count(stored_from=first + timedelta(days=1)) == 0
    s = stats(db, tenant)
    assert (s[("total", "all")], s[("decision", "fail")], s[("decision", "pass")], s[("decision", "warn")]) == (25, 5, 20, 0)
    assert s[("issuer", "https://v.example/0")] == 13 and s[("score", "0.0-0.1")] == 3 and s[("score", "0.9-1.0")] == 2
    assert sum(v for (d, _), v in s.items() if d == "score") == 25
    for sql in ("SELECT * FROM trustverdict.query(page_size => 0)", "SELECT * FROM trustverdict.query(page_size => 1001)",
                "SELECT * FROM trustverdict.query(after_id => gen_random_uuid())",
                "SELECT * FROM trustverdict.query(min_score => 0.6, max_score => 0.5)",
                "SELECT * FROM trustverdict.query(min_score => 2)", "SELECT * FROM trustverdict.query(decision => 'ok')"):
        assert sqlstate(app, db, tenant, sql) == INVALID_PARAMETER, sql


def bad_base64(signer):
    envelope, _ = signed(signer, vsa())
    envelope["payload"] = "!!not base64!!"
    return envelope


@pytest.mark.parametrize("make, code", [
    (lambda s: signed(s, vsa(predicateType="https://slsa.dev/provenance/v1"))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(_type="https://in-toto.io/Statement/v0.1"))[0], INVALID_PARAMETER),
    (lambda s: s.envelope(payload=b"{}", payload_type="text/plain"), INVALID_PARAMETER),
    (lambda s: s.envelope(payload=b"not json"), INVALID_PARAMETER),
    (lambda s: signed(s, vsa(subject=None) | {"subject": []})[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa() | {"subject": [{"digest": {"sha256": sha(1)}}, {"digest": {"sha256": sha(2)}}]})[0],
     INVALID_PARAMETER),
    (lambda s: signed(s, vsa() | {"subject": [{"digest": {"sha512": sha(1)}}]})[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(verifier=""))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(result="MAYBE"))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(result="FAILED", pgattest={"decision": "warn"}))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(pgattest={"decision": "fail"}))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(pgattest={"score": 1.5}))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(pgattest={"score": "high"}))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(policy="abc"))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(inputs=("xyz",)))[0], INVALID_PARAMETER),
    (lambda s: signed(s, vsa(time="yesterday"))[0], INVALID_DATETIME),
    (lambda s: signed(s, vsa(time="2026-13-45T00:00:00Z"))[0], INVALID_DATETIME),
    (lambda s: signed(Signer(), vsa())[0], INSUFFICIENT_PRIVILEGE),
    (bad_base64, INVALID_TEXT),
])
def test_bad_vsas_are_refused_typed_and_write_nothing(db, tenant, signer, make, code):
    assert sqlstate(app, db, tenant, STORE, (json.dumps(make(signer)),)) == code
    assert app(db, tenant, "SELECT count(*) AS n FROM trustverdict.verdicts", fetch="one") == 0
    assert app(db, tenant, "SELECT count(*) AS n FROM verdict.ledger_entries", fetch="one") == 0


def test_refusals_without_input_or_tenant(db, tenant, signer):
    assert sqlstate(app, db, tenant, "SELECT * FROM trustverdict.store(NULL)") == NULL_NOT_ALLOWED
    assert sqlstate(app, db, tenant, "SELECT * FROM trustverdict.get(NULL)") == NULL_NOT_ALLOWED
    envelope, _ = signed(signer, vsa())
    for sql, params in ((STORE, (json.dumps(envelope),)), ("SELECT * FROM trustverdict.get('x')", ()),
                        ("SELECT * FROM trustverdict.query()", ()), ("SELECT * FROM trustverdict.stats()", ()),
                        ("SELECT * FROM trustverdict.delete('x', 'y')", ())):
        assert sqlstate(call, db, "pgattest_app", sql, params) == INSUFFICIENT_PRIVILEGE, sql


def test_an_anchor_limited_to_other_predicates_does_not_sign_verdicts(db, signer):
    limited = new_tenant(db, signer, "tv-limited", predicates=["https://slsa.dev/provenance/v1"])
    assert sqlstate(store, db, limited, signer, vsa()) == INSUFFICIENT_PRIVILEGE


def test_tenants_see_only_their_verdicts(db, tenant, signer):
    other = new_tenant(db, signer, "tv-other", predicates=None)
    mine = store(db, tenant, signer, vsa())
    assert app(db, other, "SELECT * FROM trustverdict.get(%s)", (mine["content_id"],)) == []
    assert app(db, other, "SELECT * FROM trustverdict.query()") == []
    assert stats(db, other)[("total", "all")] == 0
    assert sqlstate(app, db, other, "SELECT * FROM trustverdict.delete(%s, 'not yours')", (mine["content_id"],)) == INVALID_PARAMETER
    # The same VSA stored by the other tenant is its own row and its own ledger entry.
    theirs = store(db, other, signer, vsa())
    assert theirs["content_id"] == mine["content_id"] and theirs["verdict_id"] != mine["verdict_id"]
    assert theirs["ledger_seq"] == 1


def test_verdict_rows_are_immutable_even_for_the_superuser(db, tenant, signer):
    stored = store(db, tenant, signer, vsa())
    with psycopg.connect(db, autocommit=True) as conn:
        for sql in ("UPDATE trustverdict.verdicts SET score = 0 WHERE content_id = %s",
                    "UPDATE trustverdict.verdicts SET deleted_at = now(), deletion_reason = 'x', issuer = 'y' WHERE content_id = %s",
                    "DELETE FROM trustverdict.verdicts WHERE content_id = %s"):
            with pytest.raises(psycopg.Error) as exc:
                conn.execute(sql, (stored["content_id"],))
            assert exc.value.sqlstate == IMMUTABLE_VIOLATION, sql
    for role in ("pgattest_app", "pgattest_admin"):
        assert sqlstate(call, db, role, "UPDATE trustverdict.verdicts SET score = 0", tenant=tenant) == INSUFFICIENT_PRIVILEGE
