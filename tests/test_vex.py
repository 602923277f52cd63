"""Issue 5: VEX observations linked to Rekor: import, linkage, pending queue, deltas, merge, revert and redeploy."""

import base64
import hashlib
import json
import subprocess
from pathlib import Path

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest.errors import (IMMUTABLE_VIOLATION, INSUFFICIENT_PRIVILEGE, INVALID_DATETIME, INVALID_PARAMETER, INVALID_TEXT,
                             NULL_NOT_ALLOWED, OBJECT_NOT_IN_STATE)
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log
from worker.rekor_worker import Worker

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "vex"
FORMATS = {"openvex": ("vex.ingest_openvex", "openvex.json"), "csaf": ("vex.ingest_csaf_vex", "csaf_vex.json"),
           "cyclonedx": ("vex.ingest_cyclonedx_vex", "cyclonedx_vex.json")}
CVE = "CVE-2025-12345"
WORKER_PURL = "pkg:oci/acme-worker@sha256:" + "3" * 64


@pytest.fixture(scope="module")
def signer():
    return Signer()


@pytest.fixture(scope="module")
def log(db):
    with LocalRekor("v2") as mock:
        mock.db_log_id = register_log(db, mock)
        yield mock


@pytest.fixture
def tenant(db, signer):
    return new_tenant(db, signer, "vex", predicates=None)


def app(db, tenant, sql, params=(), fetch="all"):
    return call(db, "pgattest_app", sql, params, tenant=tenant, fetch=fetch)


def ingest(db, tenant, fmt, provider="acme.example", text=None):
    fn, name = FORMATS[fmt]
    return app(db, tenant, f"SELECT * FROM {fn}(%s, %s)", (text or (FIXTURES / name).read_text(), provider))


def sqlstate(fn, *args, **kwargs):
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate


def prove(db, tenant, signer, log, content_ids):
    """Log one attestation naming the observations' content ids as subjects; return its stored Rekor entry id."""
    statement = {"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://openvex.dev/ns/v0.2.0",
                 "subject": [{"name": cid, "digest": {"sha256": cid[7:]}} for cid in content_ids],
                 "predicate": {"observations": content_ids}}
    env = signer.envelope(payload=json.dumps(statement).encode(), predicate=None)
    envelope_id = app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (json.dumps(env), log.db_log_id),
                      fetch="one")
    worker = Worker(db, "vex-linker", batch=50, role="pgattest_worker")
    for _ in range(20):
        worker.run_once()
        entry = app(db, tenant, "SELECT id FROM proofchain.rekor_entries WHERE envelope_id = %s", (envelope_id,), fetch="one")
        if entry:
            return entry
    raise AssertionError("the attestation was never logged")


def test_the_three_formats_give_the_same_observations(db, signer):
    ids = {}
    for fmt in FORMATS:
        t = new_tenant(db, signer, "fmt")
        rows = ingest(db, t, fmt)
        ids[fmt] = sorted(r["content_id"] for r in rows)
        assert len(rows) == 5
        assert ingest(db, t, fmt) and app(db, t, "SELECT count(*) FROM vex.observations", fetch="one") == 5, "idempotent"
        assert app(db, t, "SELECT count(*) AS documents, sum(statement_count) AS statements FROM vexhub.documents",
                   fetch="one") == {"documents": 1, "statements": 5}
        assert app(db, t, "SELECT count(*) FROM vexhub.statements", fetch="one") == 5
        assert app(db, t, "SELECT * FROM vex.delta_summary()", fetch="one") == {"added": 5, "removed": 0, "status_changed": 0}
    assert ids["openvex"] == ids["csaf"] == ids["cyclonedx"]
    # The stored statement is what the id addresses.
    row = app(db, t, "SELECT content_id, vex.verdict_id(statement_text) AS verdict_id, status FROM vex.observations "
                     "WHERE product_key = %s", (WORKER_PURL,), fetch="one")
    assert row["content_id"] == row["verdict_id"] and row["status"] == "affected"


def test_verdict_id_ignores_key_order_and_whitespace(db, tenant):
    a = app(db, tenant, "SELECT vex.verdict_id(%s)", ('{"status":"fixed","vulnerability":{"name":"CVE-2025-1"}}',), fetch="one")
    b = app(db, tenant, "SELECT vex.verdict_id(%s)", ('{ "vulnerability" : { "name" : "CVE-2025-1" },\n "status": "fixed" }',),
            fetch="one")
    assert a == b and a.startswith("sha256:")
    assert sqlstate(app, db, tenant, "SELECT vex.verdict_id('{\"a\": 1, \"a\": 2}')") == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, "SELECT vex.verdict_id('not json')") == INVALID_TEXT


@pytest.mark.parametrize("fmt,mutate,state", [
    ("openvex", lambda d: d.pop("author"), INVALID_PARAMETER),
    ("openvex", lambda d: d["statements"][0].update(status="broken"), INVALID_PARAMETER),
    ("openvex", lambda d: d["statements"][1].pop("action_statement"), INVALID_PARAMETER),
    ("openvex", lambda d: d.update(timestamp="yesterday"), INVALID_DATETIME),
    ("csaf", lambda d: d["document"].update(category="csaf_base"), INVALID_PARAMETER),
    ("csaf", lambda d: d["vulnerabilities"][0].pop("remediations"), INVALID_PARAMETER),
    ("csaf", lambda d: d["vulnerabilities"][1]["product_status"].update(fixed=["NOPE"]), INVALID_PARAMETER),
    ("cyclonedx", lambda d: d.update(specVersion="1.2"), INVALID_PARAMETER),
    ("cyclonedx", lambda d: d["vulnerabilities"][0]["affects"].append({"ref": "missing"}), INVALID_PARAMETER),
    ("cyclonedx", lambda d: d["vulnerabilities"][0]["analysis"].update(state="maybe"), INVALID_PARAMETER),
])
def test_documents_that_break_their_spec_are_rejected_and_nothing_is_written(db, tenant, fmt, mutate, state):
    doc = json.loads((FIXTURES / FORMATS[fmt][1]).read_text())
    mutate(doc)
    assert sqlstate(ingest, db, tenant, fmt, text=json.dumps(doc)) == state
    assert app(db, tenant, "SELECT (SELECT count(*) FROM vex.observations) + (SELECT count(*) FROM vexhub.documents)",
               fetch="one") == 0
    assert sqlstate(ingest, db, tenant, fmt, text="{not json") == INVALID_TEXT


def test_observations_are_immutable(db, tenant):
    ingest(db, tenant, "openvex")
    with psycopg.connect(db, autocommit=True) as su:  # even the table owner cannot rewrite history
        with pytest.raises(psycopg.Error) as exc:
            su.execute("UPDATE vex.observations SET status = 'fixed' WHERE tenant_id = %s", (tenant,))
        assert exc.value.sqlstate == IMMUTABLE_VIOLATION
        with pytest.raises(psycopg.Error) as exc:
            su.execute("DELETE FROM vex.observations WHERE tenant_id = %s", (tenant,))
        assert exc.value.sqlstate == IMMUTABLE_VIOLATION
    assert sqlstate(app, db, tenant, "UPDATE vex.observations SET status = 'fixed'") == INSUFFICIENT_PRIVILEGE


def test_link_persist_and_query_by_rekor(db, tenant, signer, log):
    rows = ingest(db, tenant, "openvex")
    worker_row = next(r for r in rows if app(db, tenant, "SELECT product_key FROM vex.observations WHERE id = %s",
                                              (r["observation_id"],), fetch="one") == WORKER_PURL)
    obs_id, content_id = worker_row["observation_id"], worker_row["content_id"]
    entry = prove(db, tenant, signer, log, [content_id])
    assert app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, entry), fetch="one") == entry
    assert app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, entry), fetch="one") == entry, "idempotent"
    stored = app(db, tenant, "SELECT uuid, log_index FROM proofchain.rekor_entries WHERE id = %s", (entry,), fetch="one")
    uuid = stored["uuid"]
    for arg in (uuid, stored["log_index"]):
        found = app(db, tenant, "SELECT observation_id, vulnerability_id, status, rekor_uuid FROM vex.observations_by_rekor(%s)",
                    (arg,))
        assert found == [{"observation_id": obs_id, "vulnerability_id": CVE, "status": "affected", "rekor_uuid": uuid}]
    assert app(db, tenant, "SELECT count(*) FROM vexhub.statements WHERE rekor_entry_id = %s", (entry,), fetch="one") == 1

    other = prove(db, tenant, signer, log, [content_id])   # a second attestation of it (ECDSA signs afresh)
    assert other != entry
    assert sqlstate(app, db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, other)) == IMMUTABLE_VIOLATION
    unrelated_obs = next(r["observation_id"] for r in rows if r["observation_id"] != obs_id)
    assert sqlstate(app, db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (unrelated_obs, entry)) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, "SELECT vex.link_rekor(%s, %s::text)", (unrelated_obs, "ab" * 32)) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, "SELECT vex.link_rekor(%s, NULL::uuid)", (obs_id,)) == NULL_NOT_ALLOWED
    assert sqlstate(call, db, "pgattest_app", "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, entry)) == INSUFFICIENT_PRIVILEGE
    # Another tenant sees nothing of it.
    stranger = new_tenant(db, signer, "vex")
    assert app(db, stranger, "SELECT count(*) FROM vex.observations_by_rekor(%s)", (uuid,), fetch="one") == 0
    assert app(db, stranger, "SELECT count(*) FROM vex.observations", fetch="one") == 0
    assert sqlstate(app, db, stranger, "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, entry)) == INVALID_PARAMETER


def test_pending_links_are_ordered_and_never_shared(fresh_db, signer):
    _, db = fresh_db()  # an empty linker queue
    t = new_tenant(db, signer, "pend")
    ingest(db, t, "openvex")
    expected = app(db, t, "SELECT id FROM vex.observations ORDER BY created_at, id")
    take = "SELECT observation_id FROM vex.pending_rekor_links(%s)"
    with psycopg.connect(db) as a, psycopg.connect(db) as b:
        for c in (a, b):
            c.execute("SET ROLE pgattest_worker")
        first = [r[0] for r in a.execute(take, (3,)).fetchall()]
        second = [r[0] for r in b.execute(take, (10,)).fetchall()]
        assert first == [r["id"] for r in expected[:3]]
        assert second == [r["id"] for r in expected[3:]], "a second linker skips the rows the first holds"
    again = [r["observation_id"] for r in call(db, "pgattest_worker", take, (10,), fetch="all")]
    assert again == [r["id"] for r in expected], "released at rollback, same deterministic order"
    assert sqlstate(call, db, "pgattest_worker", take, (0,)) == INVALID_PARAMETER
    assert sqlstate(app, db, t, take, (5,)) == INSUFFICIENT_PRIVILEGE


def test_status_update_makes_a_delta_linking_both_entries(db, tenant, signer, log):
    rows = ingest(db, tenant, "openvex")
    old = next(r for r in rows if app(db, tenant, "SELECT status FROM vex.observations WHERE id = %s",
                                      (r["observation_id"],), fetch="one") == "under_investigation")
    old_id, old_cid = old["observation_id"], old["content_id"]
    old_entry = prove(db, tenant, signer, log, [old_cid])
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (old_id, old_entry))
    new_id = app(db, tenant, "SELECT vex.record_status_change(%s, 'affected', 'analysis_complete', action_statement => %s)",
                 (old_id, "Upgrade acme-web to 3.0.2."), fetch="one")
    new = app(db, tenant, "SELECT content_id, supersedes, status FROM vex.observations WHERE id = %s",
              (new_id,), fetch="one")
    new_cid = new["content_id"]
    assert (new["supersedes"], new["status"]) == (old_id, "affected")
    pending = [r["observation_id"] for r in call(db, "pgattest_worker", "SELECT * FROM vex.pending_rekor_links(10000)",
                                                 fetch="all")]
    assert new_id in pending and old_id not in pending
    delta = "SELECT old_status, new_status, reason_code, old_rekor_entry_id, new_rekor_entry_id FROM vex.delta_changes WHERE new_observation_id = %s"
    assert app(db, tenant, delta, (new_id,), fetch="one") == {
        "old_status": "under_investigation", "new_status": "affected", "reason_code": "analysis_complete",
        "old_rekor_entry_id": old_entry, "new_rekor_entry_id": None}
    new_entry = prove(db, tenant, signer, log, [new_cid])
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (new_id, new_entry))
    linked = app(db, tenant, delta, (new_id,), fetch="one")
    assert (linked["old_rekor_entry_id"], linked["new_rekor_entry_id"]) == (old_entry, new_entry)
    assert app(db, tenant, "SELECT * FROM vex.delta_summary()", fetch="one") == {"added": 5, "removed": 0, "status_changed": 1}
    # Failure paths.
    assert sqlstate(app, db, tenant, "SELECT vex.record_status_change(%s, 'fixed', 'fix_released')", (old_id,)) == OBJECT_NOT_IN_STATE
    assert sqlstate(app, db, tenant, "SELECT vex.record_status_change(%s, 'affected', 'again', action_statement => 'x')",
                    (new_id,)) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, "SELECT vex.record_status_change(%s, 'fixed', 'Bad Code')", (new_id,)) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, "SELECT vex.record_status_change(%s, 'not_affected', 'no_reason')", (new_id,)) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, "SELECT vex.record_status_change(gen_random_uuid(), 'fixed', 'fix_released')") == INVALID_PARAMETER
    # The unsigned form has its own name: vex.update_status is the signed form only.
    assert sqlstate(app, db, tenant, "SELECT vex.update_status(%s, 'fixed', 'fix_released', NULL, NULL, NULL)",
                    (new_id,)) == "42883"


def test_reimport_of_a_document_without_a_statement_is_a_removal(db, tenant):
    ingest(db, tenant, "openvex")
    doc = json.loads((FIXTURES / "openvex.json").read_text())
    doc["statements"].pop(2)
    doc["version"] = 2
    ingest(db, tenant, "openvex", text=json.dumps(doc))
    assert app(db, tenant, "SELECT * FROM vex.delta_summary()", fetch="one") == {"added": 5, "removed": 1, "status_changed": 0}


def test_merge_is_deterministic_keeps_conflicts_and_carries_rekor_refs(db, tenant, signer, log):
    product = "pkg:oci/acme-web@sha256:" + "2" * 64
    vuln = "GHSA-jfh8-c2jp-5v3q"
    ingest(db, tenant, "openvex", provider="acme.example")          # under_investigation
    statement = json.dumps({"vulnerability": {"name": vuln}, "products": [{"@id": product}], "status": "affected",
                            "action_statement": "Upgrade.", "timestamp": "2026-01-10T00:00:00Z"})
    [recorded] = app(db, tenant, "SELECT * FROM vex.record_observation(%s, 'scanner.example')", (statement,))
    aff_id, aff_cid = recorded["observation_id"], recorded["content_id"]
    call(db, "pgattest_admin", "SELECT vex.set_issuer_trust('acme.example', 90, 0.9)", tenant=tenant)
    merged = "SELECT effective_status, winner_observation_id, has_conflict, sources, trace_digest FROM vex.merge(%s, %s)"
    first = app(db, tenant, merged, (vuln, product), fetch="one")
    # the trusted vendor wins while the affected is unproven
    assert first["effective_status"] == "under_investigation" and first["has_conflict"]
    assert [s["provider"] for s in first["sources"]] == ["acme.example", "scanner.example"]
    assert [s["role"] for s in first["sources"]] == ["winner", "conflicts"]
    digest = first["trace_digest"]
    assert app(db, tenant, merged, (vuln, product), fetch="one")["trace_digest"] == digest, "same inputs, same digest"

    entry = prove(db, tenant, signer, log, [aff_cid])
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (aff_id, entry))
    then = app(db, tenant, merged, (vuln, product), fetch="one")
    assert (then["effective_status"], then["winner_observation_id"]) == ("affected", aff_id), \
        "under_investigation never overrides a verified affected"
    assert then["trace_digest"] != digest
    proven = next(s for s in then["sources"] if s["provider"] == "scanner.example")
    assert proven["rekor_entry_id"] == str(entry) and proven["verification_strength"] == 1 and proven["role"] == "winner"
    # One name per identity: observation_id is the uuid (vex.observations.id), content_id the sha256 id.
    assert (proven["observation_id"], proven["content_id"]) == (str(aff_id), aff_cid)
    assert proven["rekor_uuid"] and proven["rekor_log_index"] is not None
    assert app(db, tenant, "SELECT count(*) FROM vex.merge_traces", fetch="one") == 2
    assert sqlstate(app, db, tenant, merged, ("CVE-2000-0001", product)) == INVALID_PARAMETER


def test_reverting_the_vex_functions_and_deploying_again_keeps_every_row_and_link(server, fresh_db, signer):
    """The Rekor linkage is part of the tables (vex/observations, vexhub/*): reverting every VEX
    function change (all of them follow the last VEX table in the plan) and deploying again
    changes no row, link, delta or trace."""
    from ops import cluster
    name, dsn = fresh_db()
    with LocalRekor("v2") as log:
        log.db_log_id = register_log(dsn, log)
        t = new_tenant(dsn, signer, "mig")
        first = ingest(dsn, t, "openvex")[0]
        obs_id = first["observation_id"]
        entry = prove(dsn, t, signer, log, [first["content_id"]])
        app(dsn, t, "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, entry))
        status = app(dsn, t, "SELECT status FROM vex.observations WHERE id = %s", (obs_id,), fetch="one")
        app(dsn, t, "SELECT vex.record_status_change(%s, %s, 'analysis_complete', action_statement => 'Upgrade.')",
            (obs_id, "affected" if status != "affected" else "under_investigation"))
        app(dsn, t, "SELECT (vex.merge(o.vulnerability_id, o.product_key)).id FROM vex.observations o WHERE o.id = %s",
            (obs_id,))
    # Every row of every VEX table, whole (updated_at included): nothing may change.
    snapshot = """SELECT (SELECT jsonb_agg(to_jsonb(o) ORDER BY o.id) FROM vex.observations o) AS observations,
                         (SELECT jsonb_agg(to_jsonb(s) ORDER BY s.id) FROM vexhub.statements s) AS statements,
                         (SELECT jsonb_agg(to_jsonb(d) ORDER BY d.id) FROM vexhub.documents d) AS documents,
                         (SELECT jsonb_agg(to_jsonb(d) ORDER BY d.id) FROM vex.delta_changes d) AS deltas,
                         (SELECT jsonb_agg(to_jsonb(m) ORDER BY m.id) FROM vex.merge_traces m) AS traces,
                         (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.id) FROM proofchain.rekor_entries r) AS entries"""
    catalog = """SELECT (SELECT count(*) FROM pg_attribute WHERE attrelid = 'vex.observations'::regclass AND attname LIKE 'rekor%%'
                           AND NOT attisdropped) AS rekor_columns,
                        (SELECT count(*) FROM pg_indexes WHERE schemaname IN ('vex', 'vexhub') AND indexname LIKE '%%rekor%%')
                            AS rekor_indexes,
                        (SELECT count(*) FROM pg_constraint WHERE conname IN ('rekor_entry_fk', 'rekor_link_whole'))
                            AS rekor_constraints"""
    with psycopg.connect(dsn, autocommit=True, row_factory=dict_row) as su:
        before, shape = su.execute(snapshot).fetchall(), su.execute(catalog).fetchone()
    rows = before[0]
    assert shape == {"rekor_columns": 5, "rekor_indexes": 6, "rekor_constraints": 6}
    assert sum(1 for r in rows["observations"] if r["rekor_entry_id"]) == 1
    assert sum(1 for r in rows["statements"] if r["rekor_entry_id"]) == 1
    assert len(rows["deltas"]) == 6 and len(rows["traces"]) == 1
    assert any(d["change_kind"] == "status_changed" and d["old_rekor_entry_id"] == str(entry) for d in rows["deltas"])
    target = cluster.uri_from_dsn(server, name)
    cluster.sqitch(["revert", "-y", "--to", "vex/observation_submissions"], target)
    with psycopg.connect(dsn, autocommit=True, row_factory=dict_row) as su:
        assert su.execute("SELECT to_regprocedure('vex.link_rekor(uuid, uuid)') AS link_rekor, "
                          "to_regprocedure('_pgattest.link_proven_observations()') AS link_proven").fetchone() == \
            {"link_rekor": None, "link_proven": None}
        assert su.execute(snapshot).fetchall() == before and su.execute(catalog).fetchone() == shape
    cluster.sqitch(["deploy", "--verify"], target)
    with psycopg.connect(dsn, autocommit=True, row_factory=dict_row) as su:
        assert su.execute(snapshot).fetchall() == before and su.execute(catalog).fetchone() == shape


# --- review findings: history, conflicts and links that must not be lost -----------------

def openvex(statements, doc_id="https://vex.example.com/docs/t", version=1):
    return json.dumps({"@context": "https://openvex.dev/ns/v0.2.0", "@id": doc_id, "author": "Acme PSIRT",
                       "timestamp": "2026-02-01T00:00:00Z", "version": version, "statements": statements})


MERGED = "SELECT effective_status, winner_observation_id, has_conflict, sources FROM vex.merge(%s, %s)"


def test_the_merge_never_answers_with_a_superseded_status(db, tenant):
    """Two status changes in one transaction, or a statement dated in the future, must not
    tie the old and the new statement: the newest is the provider's word."""
    product, vuln = "pkg:oci/acme-tie@sha256:" + "4" * 64, "CVE-2026-0001"
    for stamp in ("2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z"):   # the past, and the future
        statement = json.dumps({"vulnerability": {"name": vuln}, "products": [{"@id": product}],
                                "status": "under_investigation", "timestamp": stamp})
        with psycopg.connect(db) as conn:
            conn.execute("SET ROLE pgattest_app")
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
            [(first,)] = conn.execute("SELECT observation_id FROM vex.record_observation(%s, %s)",
                                      (statement, f"p{stamp[:4]}.example")).fetchall()
            second = conn.execute("SELECT vex.record_status_change(%s, 'affected', 'analysis_complete', "
                                  "action_statement => 'Upgrade.')", (first,)).fetchone()[0]
            third = conn.execute("SELECT vex.record_status_change(%s, 'fixed', 'fix_released')", (second,)).fetchone()[0]
            stamps = conn.execute("SELECT statement_timestamp FROM vex.observations WHERE id = ANY(%s) ORDER BY statement_timestamp",
                                  ([first, second, third],)).fetchall()
        assert len(set(stamps)) == 3, "each change is strictly later than the one it supersedes"
    merged = app(db, tenant, MERGED, (vuln, product), fetch="one")
    assert merged["effective_status"] == "fixed" and {s["status"] for s in merged["sources"]} == {"fixed"}
    assert all(s["current"] for s in merged["sources"]) and len(merged["sources"]) == 2, "one current statement per provider"


def test_a_provider_contradicting_itself_keeps_both_statements_and_the_cautious_one_wins(db, tenant):
    product, vuln = "pkg:oci/acme-sub@sha256:" + "5" * 64, "CVE-2026-0002"
    doc = openvex([
        {"vulnerability": {"name": vuln}, "products": [{"@id": product, "subcomponents": [{"@id": "pkg:npm/liba@1"}]}],
         "status": "not_affected", "justification": "component_not_present"},
        {"vulnerability": {"name": vuln}, "products": [{"@id": product, "subcomponents": [{"@id": "pkg:npm/libb@1"}]}],
         "status": "affected", "action_statement": "Upgrade libb."},
        # the same statement twice: one observation, one delta
        {"vulnerability": {"name": vuln}, "products": [{"@id": product, "subcomponents": [{"@id": "pkg:npm/libb@1"}]}],
         "status": "affected", "action_statement": "Upgrade libb."},
    ], doc_id="https://vex.example.com/docs/self-contradiction")
    ingest(db, tenant, "openvex", provider="self.example", text=doc)
    assert app(db, tenant, "SELECT count(*) FROM vex.observations WHERE product_key = %s", (product,), fetch="one") == 2
    assert app(db, tenant, "SELECT count(*) FROM vex.delta_changes WHERE product_key = %s", (product,), fetch="one") == 2
    merged = app(db, tenant, MERGED, (vuln, product), fetch="one")
    assert merged["effective_status"] == "affected" and merged["has_conflict"]
    assert sorted((s["status"], s["role"]) for s in merged["sources"]) == [("affected", "winner"), ("not_affected", "conflicts")]


def test_a_providers_own_later_under_investigation_does_not_override_its_verified_affected(db, tenant, signer, log):
    product, vuln = "pkg:oci/acme-own@sha256:" + "6" * 64, "CVE-2026-0003"
    statement = json.dumps({"vulnerability": {"name": vuln}, "products": [{"@id": product}], "status": "affected",
                            "action_statement": "Upgrade.", "timestamp": "2026-01-01T00:00:00Z"})
    [recorded] = app(db, tenant, "SELECT * FROM vex.record_observation(%s, 'own.example')", (statement,))
    affected, cid = recorded["observation_id"], recorded["content_id"]
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (affected, prove(db, tenant, signer, log, [cid])))
    unsure = app(db, tenant, "SELECT vex.record_status_change(%s, 'under_investigation', 'reopened')", (affected,),
                 fetch="one")
    merged = app(db, tenant, MERGED, (vuln, product), fetch="one")
    assert (merged["effective_status"], merged["winner_observation_id"], merged["has_conflict"]) == ("affected", affected, True)
    assert [(s["status"], s["current"], s["role"]) for s in merged["sources"]] == \
        [("affected", False, "winner"), ("under_investigation", True, "conflicts")]
    # A fix after it does end the affected.
    app(db, tenant, "SELECT vex.record_status_change(%s, 'fixed', 'fix_released')", (unsure,))
    merged = app(db, tenant, MERGED, (vuln, product), fetch="one")
    assert merged["effective_status"] == "fixed" and [s["status"] for s in merged["sources"]] == ["fixed"]


def test_a_reimported_statement_that_is_proven_already_carries_its_link(db, tenant, signer, log):
    first = ingest(db, tenant, "openvex")[0]
    obs, cid = first["observation_id"], first["content_id"]
    entry = prove(db, tenant, signer, log, [cid])
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (obs, entry))
    doc = json.loads((FIXTURES / "openvex.json").read_text())
    doc["version"] = 2                                    # a new version, same statements
    ingest(db, tenant, "openvex", text=json.dumps(doc))
    assert app(db, tenant, "SELECT count(*) AS statements, count(rekor_entry_id) FILTER (WHERE rekor_entry_id = %s) AS linked "
                           "FROM vexhub.statements WHERE observation_id = %s", (entry, obs), fetch="one") == \
        {"statements": 2, "linked": 2}


def test_observations_by_log_index_name_their_log(db, tenant, signer, log):
    first = ingest(db, tenant, "openvex")[0]
    entry = prove(db, tenant, signer, log, [first["content_id"]])
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (first["observation_id"], entry))
    index = app(db, tenant, "SELECT log_index FROM proofchain.rekor_entries WHERE id = %s", (entry,), fetch="one")
    by = "SELECT observation_id FROM vex.observations_by_rekor(%s::bigint, %s)"
    found = {"observation_id": first["observation_id"]}
    assert app(db, tenant, by, (index, log.db_log_id)) == [found]
    assert app(db, tenant, by, (index, "ff" * 32)) == [], "the same index in another log is another entry"
    assert found in app(db, tenant, by, (index, None))


def test_issuer_trust_is_validated(db, tenant):
    trust = "SELECT vex.set_issuer_trust(%s, %s::integer, %s::numeric)"
    call(db, "pgattest_admin", trust, ("ok.example", 5, 0.5), tenant=tenant)
    assert app(db, tenant, "SELECT trust_tier, trust_weight FROM vex.issuers WHERE provider = 'ok.example'",
               fetch="one") == {"trust_tier": 5, "trust_weight": 0.5}
    for bad in (("bad provider!", 5, 0.5), (None, 5, 0.5), ("ok.example", 101, 0.5), ("ok.example", None, 0.5),
                ("ok.example", 5, 1.5), ("ok.example", 5, None)):
        with pytest.raises(psycopg.Error) as exc:
            call(db, "pgattest_admin", trust, bad, tenant=tenant)
        assert exc.value.sqlstate == INVALID_PARAMETER and exc.value.diag.message_hint, bad
    assert sqlstate(call, db, "pgattest_admin", trust, ("ok.example", 5, 0.5)) == INSUFFICIENT_PRIVILEGE
    assert app(db, tenant, "SELECT trust_tier FROM vex.issuers WHERE provider = 'ok.example'", fetch="one") == 5


def test_every_vex_function_fails_closed_and_names_bad_input(db, tenant, signer, log):
    statement = json.dumps({"vulnerability": {"name": "CVE-2026-0004"}, "products": [{"@id": "pkg:npm/x@1"}],
                            "status": "fixed"})
    no_tenant = [("SELECT * FROM vex.record_observation(%s, 'p.example')", (statement,)),
                 ("SELECT * FROM vex.ingest_openvex(%s, 'p.example')", ((FIXTURES / "openvex.json").read_text(),)),
                 ("SELECT vex.record_status_change(gen_random_uuid(), 'fixed', 'fix_released')", ()),
                 ("SELECT * FROM vex.merge('CVE-2026-0004', 'pkg:npm/x@1')", ())]
    for sql, params in no_tenant:
        assert sqlstate(call, db, "pgattest_app", sql, params) == INSUFFICIENT_PRIVILEGE, sql
    assert call(db, "pgattest_app", "SELECT * FROM vex.delta_summary()") == {"added": 0, "removed": 0, "status_changed": 0}
    assert call(db, "pgattest_app", "SELECT count(*) FROM vex.observations_by_rekor(1::bigint)") == 0
    record = "SELECT * FROM vex.record_observation(%s, %s)"
    assert sqlstate(app, db, tenant, record, (statement, "bad provider!")) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, record, (statement, None)) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, record, (json.dumps({"status": "fixed"}), "p.example")) == INVALID_PARAMETER
    assert sqlstate(app, db, tenant, record, (statement.replace('"fixed"', '"fixed", "timestamp": "soon"'), "p.example")) == INVALID_DATETIME
    assert sqlstate(app, db, tenant, record, ("{not json", "p.example")) == INVALID_TEXT
    assert sqlstate(app, db, tenant, "SELECT * FROM vex.ingest_openvex(NULL, 'p.example')") == NULL_NOT_ALLOWED
    assert sqlstate(app, db, tenant, "SELECT * FROM vex.ingest_csaf_vex('{}', NULL)") == NULL_NOT_ALLOWED
    [recorded] = app(db, tenant, record, (statement, "p.example"))
    obs, cid = recorded["observation_id"], recorded["content_id"]
    assert sqlstate(app, db, tenant, "SELECT vex.link_rekor(%s, gen_random_uuid())", (obs,)) == INVALID_PARAMETER
    assert app(db, tenant, "SELECT count(*) FROM vex.observations", fetch="one") == 1, "nothing else was written"
    # A link is set once, even by the owner going round the API.
    entry = prove(db, tenant, signer, log, [cid])
    app(db, tenant, "SELECT vex.link_rekor(%s, %s::uuid)", (obs, entry))
    with psycopg.connect(db, autocommit=True) as su:
        with pytest.raises(psycopg.Error) as exc:
            su.execute("UPDATE vex.observations SET rekor_linked_at = now() WHERE id = %s", (obs,))
        assert exc.value.sqlstate == IMMUTABLE_VIOLATION


def test_every_vex_table_is_isolated_by_tenant(db, tenant, signer, log):
    ingest(db, tenant, "openvex")
    obs = app(db, tenant, "SELECT id FROM vex.observations WHERE status = 'under_investigation'", fetch="one")
    app(db, tenant, "SELECT vex.record_status_change(%s, 'fixed', 'fix_released')", (obs,))
    app(db, tenant, "SELECT * FROM vex.merge(%s, %s)", (CVE, WORKER_PURL))
    call(db, "pgattest_admin", "SELECT vex.set_issuer_trust('acme.example', 10)", tenant=tenant)
    tables = ["vex.observations", "vex.issuers", "vex.delta_changes", "vex.merge_traces", "vexhub.documents",
              "vexhub.statements"]
    count = "SELECT " + ", ".join(f'(SELECT count(*) FROM {t}) AS "{t}"' for t in tables)
    none = dict.fromkeys(tables, 0)
    assert all(n > 0 for n in app(db, tenant, count, fetch="one").values())
    stranger = new_tenant(db, signer, "vex")
    assert app(db, stranger, count, fetch="one") == none
    assert call(db, "pgattest_app", count) == none, "no tenant: no rows"
    assert app(db, stranger, "SELECT * FROM vex.delta_summary()", fetch="one") == {"added": 0, "removed": 0, "status_changed": 0}
    assert sqlstate(app, db, stranger, "SELECT * FROM vex.merge(%s, %s)", (CVE, WORKER_PURL)) == INVALID_PARAMETER
    assert sqlstate(app, db, stranger, "SELECT vex.record_status_change(%s, 'affected', 'x_y')", (obs,)) == INVALID_PARAMETER
    for t in tables:  # the client role writes only through the API
        assert sqlstate(app, db, stranger, f"DELETE FROM {t}") == INSUFFICIENT_PRIVILEGE, t
