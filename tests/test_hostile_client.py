"""Issue 15: tenant isolation against a hostile client (items 2, 3, 6, 7, 8, 9, 10).

Items 1, 4 and 5 (the transaction-bound tenant context) are in test_tenant_context.py; item
11 (search_path pinned everywhere) and the statistics rule of item 2 are catalog checks in
tests/pgtap/catalog_security.sql.
"""

import base64
import copy
import hashlib
import json

import psycopg
import pytest
from psycopg.rows import dict_row

from pgattest.errors import INVALID_PARAMETER, INVALID_TEXT, PROGRAM_LIMIT_EXCEEDED
from tests.support.queue_helpers import Signer, call, new_tenant
from test_vex import CVE, FIXTURES, app, ingest, log, signer, tenant  # noqa: F401 (fixtures)
from test_vex_submissions import OPENVEX, attestation, drain, worker_observation

SUBMIT = "SELECT attestor.submit_envelope(%s::jsonb, %s)"
LONG_INT = "1" * 5000  # more digits than Python's int() converts (4,300): was XX000


def error(dsn, role, sql, params=(), tenant=None, settings=()):
    """The psycopg error a statement raises as role (and tenant), after SET of settings."""
    with psycopg.connect(dsn) as conn:
        conn.execute(f"SET ROLE {role}")
        for name, value in settings:
            conn.execute(f"SET {name} = {value}")
        if tenant:
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        with pytest.raises(psycopg.Error) as exc:
            conn.execute(sql, params)
        return exc.value


# --- item 2: no planner statistics of tenant data ----------------------------------------

def estimate(dsn, tenant, where, params=()):
    """The planner's row estimate for SELECT 1 FROM vex.issuers WHERE <where>, as tenant's app login."""
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        plan = conn.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM vex.issuers WHERE {where}", params).fetchone()[0]
        return plan[0]["Plan"]["Plan Rows"]


def test_explain_reveals_no_other_tenants_values(db, signer):
    victim, attacker = new_tenant(db, signer, "victim"), new_tenant(db, signer, "attacker")
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("""INSERT INTO vex.issuers (tenant_id, provider, trust_tier, trust_weight)
                      SELECT %s, 'secret-supplier-' || g, 50, 0.5 FROM generate_series(1, 3000) g""", (victim,))
        su.execute("ANALYZE vex.issuers")
        assert su.execute("""SELECT count(*) FROM pg_statistic WHERE starelid = 'vex.issuers'::regclass""").fetchone()[0] == 0
    # The victim's tenant id and its providers' prefix estimate exactly like values nobody has.
    assert estimate(db, attacker, "tenant_id = %s", (victim,)) == estimate(db, attacker, "tenant_id = 'no-such-tenant'")
    assert estimate(db, attacker, "tenant_id >= %s AND tenant_id < %s", (victim[:7], victim[:7] + "~")) == \
        estimate(db, attacker, "tenant_id >= 'zz' AND tenant_id < 'zz~'")
    assert estimate(db, attacker, "provider >= 'secret-' AND provider < 'secret-~'") == \
        estimate(db, attacker, "provider >= 'public-' AND provider < 'public-~'")


# --- item 3: ids, timestamps and notifications that say nothing about other tenants ------

def test_envelope_subject_ids_do_not_count_other_tenants(db, log, signer):
    a, b = new_tenant(db, signer, "ids-a"), new_tenant(db, signer, "ids-b")
    subject_id = "SELECT s.id FROM proofchain.envelope_subjects s WHERE s.envelope_id = %s"
    first = call(db, "pgattest_app", subject_id, (call(db, "pgattest_app", SUBMIT, (json.dumps(signer.envelope()),
                                                                                   log.db_log_id), tenant=a),), tenant=a)
    for _ in range(5):
        call(db, "pgattest_app", SUBMIT, (json.dumps(signer.envelope()), log.db_log_id), tenant=b)
    second = call(db, "pgattest_app", subject_id, (call(db, "pgattest_app", SUBMIT, (json.dumps(signer.envelope()),
                                                                                    log.db_log_id), tenant=a),), tenant=a)
    assert second - first != 6, "a global counter: the gap is the other tenant's five subjects"
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT pg_get_serial_sequence('proofchain.envelope_subjects', 'id')").fetchone()[0] is None


def test_checkpoint_rows_do_not_date_other_tenants_completions(db, log, tenant, signer):
    call(db, "pgattest_app", SUBMIT, (json.dumps(signer.envelope()), log.db_log_id), tenant=tenant)
    drain(db)
    assert call(db, "pgattest_app", "SELECT count(note) AS n FROM attestor.rekor_checkpoints") >= 1
    for role in ("pgattest_app",):  # the worker acts across tenants: it keeps the whole table
        for column in ("created_at", "verified_at", "updated_at"):
            exc = error(db, role, f"SELECT {column} FROM attestor.rekor_checkpoints")
            assert exc.sqlstate == "42501", (role, column)
        exc = error(db, role, "SELECT * FROM attestor.rekor_checkpoints")
        assert exc.sqlstate == "42501"


# --- item 6: only keys trusted for OpenVEX make an observation verified ------------------

def test_a_key_trusted_for_another_predicate_type_cannot_prove_an_observation(db, log, signer):
    slsa_only, vex_only = Signer(), Signer()
    tenant = new_tenant(db, slsa_only, "pred", predicates=["https://slsa.dev/provenance/v1"])
    call(db, "pgattest_admin", "SELECT proofchain.add_trust_anchor('security team', %s, %s)",
         (vex_only.pem, [OPENVEX]), tenant=tenant)
    obs_id, cid = worker_observation(db, tenant, "affected")
    forged = attestation(slsa_only, {"buildType": "x"}, [cid], predicate_type="https://slsa.dev/provenance/v1")
    submit_obs = "SELECT vex.submit_observation(%s, %s::jsonb, %s)"
    exc = error(db, "pgattest_app", submit_obs, (obs_id, json.dumps(forged), log.db_log_id), tenant=tenant)
    assert exc.sqlstate == INVALID_PARAMETER and "not an OpenVEX attestation" in exc.diag.message_primary

    # Logged through the plain store, it cannot be linked by hand either.
    env_id = call(db, "pgattest_app", SUBMIT, (json.dumps(forged), log.db_log_id), tenant=tenant)
    drain(db)
    entry = call(db, "pgattest_app", "SELECT id FROM proofchain.rekor_entries WHERE envelope_id = %s", (env_id,),
                 tenant=tenant)
    assert entry is not None
    exc = error(db, "pgattest_app", "SELECT vex.link_rekor(%s, %s::uuid)", (obs_id, entry), tenant=tenant)
    assert exc.sqlstate == INVALID_PARAMETER
    assert call(db, "pgattest_app", "SELECT rekor_entry_id FROM vex.observations WHERE id = %s", (obs_id,),
                tenant=tenant) is None
    assert call(db, "pgattest_app", "SELECT count(*) AS n FROM vex.observation_submissions", tenant=tenant) == 0

    # The OpenVEX signer proves it.
    good = attestation(vex_only, {"observations": [cid]}, [cid])
    assert call(db, "pgattest_app", submit_obs, (obs_id, json.dumps(good), log.db_log_id), tenant=tenant)
    drain(db)
    assert call(db, "pgattest_app", "SELECT rekor_entry_id IS NOT NULL AS linked FROM vex.observations WHERE id = %s",
                (obs_id,), tenant=tenant)


def test_a_key_trusted_for_everything_still_needs_an_openvex_statement(db, log, tenant, signer):
    obs_id, cid = worker_observation(db, tenant, "affected")
    other = attestation(signer, {"n": 1}, [cid], predicate_type="https://example.com/any/v1")
    exc = error(db, "pgattest_app", "SELECT vex.submit_observation(%s, %s::jsonb, %s)",
                (obs_id, json.dumps(other), log.db_log_id), tenant=tenant)
    assert exc.sqlstate == INVALID_PARAMETER


# --- item 7: sizes checked before parsing --------------------------------------------------

def openvex_document(padding):
    doc = json.loads((FIXTURES / "openvex.json").read_text())
    doc["x_padding"] = "p" * padding
    return json.dumps(doc)


@pytest.mark.parametrize("sql, kind, setting", [
    ("SELECT * FROM vex.ingest_openvex(%s, 'acme.example')", "document", "pgattest.max_document_bytes"),
    ("SELECT * FROM vex.ingest_csaf_vex(%s, 'acme.example')", "document", "pgattest.max_document_bytes"),
    ("SELECT * FROM vex.ingest_cyclonedx_vex(%s, 'acme.example')", "document", "pgattest.max_document_bytes"),
    ("SELECT * FROM vex.record_observation(%s, 'acme.example')", "document", "pgattest.max_document_bytes"),
    ("SELECT proofchain.content_id(%s)", "document", "pgattest.max_document_bytes"),
    ("SELECT proofchain.canonical_json(%s)", "document", "pgattest.max_document_bytes"),
    ("SELECT vex.verdict_id(%s)", "document", "pgattest.max_document_bytes"),
    ("SELECT attestor.submit_envelope(%s::jsonb, {log})", "envelope", "pgattest.max_envelope_bytes"),
    ("SELECT proofchain.verify_dsse(%s::jsonb, 'x')", "envelope", "pgattest.max_envelope_bytes"),
    ("SELECT proofchain.parse_checkpoint(%s)", "note", "pgattest.max_note_bytes"),
    ("SELECT proofchain.verify_checkpoint(%s, 'k+1+AAAA')", "note", "pgattest.max_note_bytes"),
    ("SELECT proofchain.verify_tlog_entry(%s::jsonb, '{}')", "bundle", "pgattest.max_bundle_bytes"),
])
def test_inputs_over_their_configured_limit_are_refused_before_parsing(db, tenant, log, sql, kind, setting):
    big = json.dumps({"padding": "p" * 5000})
    exc = error(db, "pgattest_app", sql.replace("{log}", f"'{log.db_log_id}'"), (big,), tenant=tenant,
                settings=[(setting, 4096)])
    assert exc.sqlstate == PROGRAM_LIMIT_EXCEEDED, exc.diag.message_primary
    assert exc.diag.message_primary.endswith(f"{kind} of {len(big)} bytes is over the limit of 4096 bytes ({setting})")
    assert setting in exc.diag.message_hint


def test_the_default_limit_refuses_a_large_document_and_a_client_cannot_lift_the_ceiling(db, tenant):
    doc = openvex_document(17 * 1024 * 1024)
    exc = error(db, "pgattest_app", "SELECT * FROM vex.ingest_openvex(%s, 'acme.example')", (doc,), tenant=tenant)
    assert exc.sqlstate == PROGRAM_LIMIT_EXCEEDED and "limit of 16777216 bytes" in exc.diag.message_primary
    # A custom setting is any client's to SET: it counts only up to the ceiling (4 MB for notes).
    note = "n" * (5 * 1024 * 1024)
    exc = error(db, "pgattest_app", "SELECT proofchain.parse_checkpoint(%s)", (note,),
                settings=[("pgattest.max_note_bytes", 10 ** 12)])
    assert exc.sqlstate == PROGRAM_LIMIT_EXCEEDED and "limit of 4194304 bytes" in exc.diag.message_primary
    exc = error(db, "pgattest_app", "SELECT proofchain.content_id('{}')", settings=[("pgattest.max_document_bytes", "'lots'")])
    assert exc.sqlstate == INVALID_PARAMETER and "pgattest.max_document_bytes" in exc.diag.message_primary
    # Under the limit, the same entries work.
    assert app(db, tenant, "SELECT * FROM vex.ingest_openvex(%s, 'acme.example')", (openvex_document(10),))


def test_limits_hold_in_parallel_workers(db):
    with psycopg.connect(db) as conn:
        for name, value in [("max_parallel_workers_per_gather", 2), ("parallel_setup_cost", 0),
                            ("parallel_tuple_cost", 0), ("min_parallel_table_scan_size", 0),
                            ("force_parallel_mode", "on"), ("pgattest.max_document_bytes", 64)]:
            conn.execute(f"SET {name} = {value}")
        conn.execute("SET ROLE pgattest_app")
        with pytest.raises(psycopg.Error) as exc:
            conn.execute("""SELECT proofchain.content_id('["' || repeat('x', 100 + g) || '"]')
                              FROM generate_series(1, 10) g""")
        assert exc.value.sqlstate == PROGRAM_LIMIT_EXCEEDED
        assert "limit of 64 bytes" in exc.value.diag.message_primary


# --- item 8: oversized arguments are never echoed whole ----------------------------------

MB = "m" * (1024 * 1024)


@pytest.mark.parametrize("role, sql, params", [
    ("pgattest_app", "SELECT * FROM vex.merge(%s, %s)", (MB, MB)),
    ("pgattest_app", "SELECT vex.link_rekor(gen_random_uuid(), %s::text)", (MB,)),
    ("pgattest_app", "SELECT * FROM vex.record_observation(%s, %s)",
     (json.dumps({"vulnerability": {"name": CVE}, "products": [{"@id": "pkg:npm/x@1.0.0"}], "status": "fixed"}), MB)),
    ("pgattest_app", "SELECT attestor.submit_envelope('{}', %s)", (MB,)),
    ("pgattest_admin", "SELECT vex.set_issuer_trust(%s, 1, 0.5)", (MB,)),
    # A duplicate key of a megabyte, named by the library's message.
    ("pgattest_app", "SELECT proofchain.canonical_json(%s)", ('{"%s": 1, "%s": 2}' % (MB[:-100], MB[:-100]),)),
])
def test_errors_echo_truncated_values(db, tenant, role, sql, params):
    exc = error(db, role, sql, params, tenant=tenant)
    assert exc.sqlstate == INVALID_PARAMETER
    assert len(exc.diag.message_primary) < 300, exc.diag.message_primary[:300]


def test_status_change_errors_echo_truncated_values(db, tenant, signer, log):
    obs_id, _ = worker_observation(db, tenant, "affected")
    exc = error(db, "pgattest_app", "SELECT vex.record_status_change(%s, 'fixed', %s)", (obs_id, MB), tenant=tenant)
    assert exc.sqlstate == INVALID_PARAMETER and len(exc.diag.message_primary) < 300
    env = attestation(signer, {"n": 1}, [], predicate_type="x" * 100000)
    exc = error(db, "pgattest_app", "SELECT vex.update_status(%s, %s::jsonb, 'fix_released', %s)",
                (obs_id, json.dumps(env), log.db_log_id), tenant=tenant)
    assert exc.sqlstate == INVALID_PARAMETER and len(exc.diag.message_primary) < 300
    exc = error(db, "postgres", "SELECT core.register_tenant(%s, 'x')", (MB,))
    assert exc.sqlstate == INVALID_PARAMETER and len(exc.diag.message_primary) < 300


# --- item 9: the fuzz run's reproducers: long JSON integers are typed errors -------------

@pytest.mark.parametrize("sql, text, state", [
    ("SELECT proofchain.canonical_json(%s)", f"[{LONG_INT}]", INVALID_PARAMETER),
    ("SELECT proofchain.content_id(%s)", f"[{LONG_INT}]", INVALID_PARAMETER),
    ("SELECT vex.verdict_id(%s)", f'{{"n": -{LONG_INT}}}', INVALID_PARAMETER),
    ("SELECT * FROM vex.record_observation(%s, 'acme.example')", f'{{"vulnerability": {LONG_INT}}}', INVALID_PARAMETER),
    ("SELECT * FROM vex.ingest_openvex(%s, 'acme.example')", f'{{"@context": {LONG_INT}}}', INVALID_PARAMETER),
    ("SELECT * FROM vex.ingest_csaf_vex(%s, 'acme.example')", f'{{"document": {LONG_INT}}}', INVALID_PARAMETER),
    ("SELECT * FROM vex.ingest_cyclonedx_vex(%s, 'acme.example')", f'{{"bomFormat": {LONG_INT}}}', INVALID_PARAMETER),
    # OpenVEX v0.0.x wrote the version as a string of digits: int() of 5,000 of them was XX000 too.
    ("SELECT * FROM vex.ingest_openvex(%s, 'acme.example')",
     json.dumps({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "a",
                 "timestamp": "2026-01-01T00:00:00Z", "version": LONG_INT, "statements": []}), INVALID_PARAMETER),
    ("SELECT attestor.submit_envelope(%s::jsonb, {log})",
     f'{{"payloadType": "t", "payload": "", "signatures": [{{"sig": ""}}], "x": {LONG_INT}}}', INVALID_TEXT),
    ("SELECT proofchain.verify_dsse(%s::jsonb, 'x')",
     f'{{"payloadType": "t", "payload": "", "signatures": [{{"sig": ""}}], "x": {LONG_INT}}}', INVALID_TEXT),
])
def test_long_json_integers_raise_typed_errors(db, tenant, log, sql, text, state):
    exc = error(db, "pgattest_app", sql.replace("{log}", f"'{log.db_log_id}'"), (text,), tenant=tenant)
    assert exc.sqlstate == state, (exc.sqlstate, exc.diag.message_primary[:200])


# --- item 10: idempotent on what the signatures cover -------------------------------------

def test_unsigned_changes_do_not_store_or_queue_an_envelope_again(db, log, tenant, signer):
    env = signer.envelope()
    first = call(db, "pgattest_app", SUBMIT, (json.dumps(env), log.db_log_id), tenant=tenant)
    variants = []
    junk = copy.deepcopy(env)
    junk["x_junk"] = 1
    variants.append(junk)
    keyid = copy.deepcopy(env)
    keyid["signatures"][0]["keyid"] = "another-keyid"
    variants.append(keyid)
    repeated = copy.deepcopy(env)
    repeated["signatures"] = env["signatures"] * 2
    variants.append(repeated)
    urlsafe = copy.deepcopy(env)
    urlsafe["payload"] = base64.urlsafe_b64encode(base64.b64decode(env["payload"])).decode().rstrip("=")
    variants.append(urlsafe)
    for variant in variants:
        assert call(db, "pgattest_app", SUBMIT, (json.dumps(variant), log.db_log_id), tenant=tenant) == first
    counts = call(db, "pgattest_app", """SELECT (SELECT count(*) FROM proofchain.dsse_envelopes) AS envelopes,
                                                (SELECT count(*) FROM attestor.rekor_submission_queue) AS queued""",
                  tenant=tenant)
    assert counts == {"envelopes": 1, "queued": 1}
    # A different payload, or a different signature, is a different envelope.
    other = signer.envelope()
    assert call(db, "pgattest_app", SUBMIT, (json.dumps(other), log.db_log_id), tenant=tenant) != first
    stored = call(db, "pgattest_app", "SELECT content_digest FROM proofchain.dsse_envelopes WHERE id = %s", (first,),
                  tenant=tenant)
    payload = base64.b64decode(env["payload"])
    pae = b"DSSEv1 %d %s %d " % (len(env["payloadType"]), env["payloadType"].encode(), len(payload)) + payload
    sig = env["signatures"][0]["sig"]
    assert stored == "sha256:" + hashlib.sha256(pae + f" {len(sig)} {sig}".encode()).hexdigest()
