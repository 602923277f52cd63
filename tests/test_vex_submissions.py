"""Issue 5: VEX observations go to the log as signed attestations and are linked when their entries are stored.

A status change with a signed statement (vex.update_status(observation_id, attestation, reason_code))
records the new observation, its delta and its submission in one call; vex.submit_observation does
the submission for any observation; the completion links what the stored entries prove.
"""

import json

import psycopg
import pytest

from pgattest.errors import IMMUTABLE_VIOLATION, INSUFFICIENT_PRIVILEGE, INVALID_PARAMETER, NULL_NOT_ALLOWED, OBJECT_NOT_IN_STATE
from tests.support.queue_helpers import Signer, call, new_tenant
from test_vex import CVE, WORKER_PURL, app, ingest, log, signer, sqlstate, tenant  # noqa: F401 (fixtures)
from worker.rekor_worker import Worker

OPENVEX = "https://openvex.dev/ns/v0.2.0"
CHANGE = "SELECT vex.update_status(%s, %s::jsonb, %s, %s)"
SUBMIT = "SELECT vex.submit_observation(%s, %s::jsonb, %s)"


def statement(status, timestamp="2026-12-01T10:00:00Z", product=WORKER_PURL, **fields):
    """A single-product OpenVEX statement in normal form (its verdict id is its observation's content id)."""
    return {"vulnerability": {"name": CVE}, "products": [{"@id": product}], "status": status,
            "timestamp": timestamp, **fields}


def attestation(signer, predicate, subjects, predicate_type=OPENVEX):
    """A DSSE envelope of an in-toto statement of predicate naming the content ids in subjects."""
    payload = {"_type": "https://in-toto.io/Statement/v1", "predicateType": predicate_type, "predicate": predicate,
               "subject": [{"name": cid, "digest": {"sha256": cid[7:]}} for cid in subjects]}
    return signer.envelope(payload=json.dumps(payload).encode())


def verdict_id(db, tenant, doc):
    return app(db, tenant, "SELECT vex.verdict_id(%s)", (json.dumps(doc),), fetch="one")


def drain(db):
    """Run a worker until the queue has nothing due."""
    worker = Worker(db, "vex-submissions", batch=50, role="pgattest_worker")
    while worker.run_once():
        pass


def queue_state(db, tenant, envelope_id):
    """The states of the envelope's queue items (one, or none)."""
    return [row["state"] for row in app(db, tenant, "SELECT state FROM attestor.rekor_submission_queue WHERE envelope_id = %s",
                                        (envelope_id,))]


def observation(db, tenant, obs_id):
    return app(db, tenant, """SELECT content_id, status, supersedes, rekor_entry_id, rekor_uuid
                                FROM vex.observations WHERE id = %s""", (obs_id,), fetch="one")


def counts(db, tenant):
    return app(db, tenant, """SELECT (SELECT count(*) FROM vex.observations) AS observations,
                                     (SELECT count(*) FROM vex.delta_changes) AS delta_changes,
                                     (SELECT count(*) FROM proofchain.dsse_envelopes) AS envelopes,
                                     (SELECT count(*) FROM attestor.rekor_submission_queue) AS queue_items,
                                     (SELECT count(*) FROM vex.observation_submissions) AS observation_submissions""",
               fetch="one")


def worker_observation(db, tenant, status):
    """(observation_id, content_id) of the imported observation of WORKER_PURL with status."""
    rows = ingest(db, tenant, "openvex")
    row = next(r for r in rows if app(db, tenant, "SELECT product_key, status FROM vex.observations WHERE id = %s",
                                      (r["observation_id"],), fetch="one") == {"product_key": WORKER_PURL, "status": status})
    return row["observation_id"], row["content_id"]


def test_a_signed_status_change_is_recorded_queued_and_linked_once_logged(db, tenant, signer, log):
    old_id, old_cid = worker_observation(db, tenant, "affected")
    first = attestation(signer, {"observations": [old_cid]}, [old_cid])
    first_env = app(db, tenant, SUBMIT, (old_id, json.dumps(first), log.db_log_id), fetch="one")
    assert queue_state(db, tenant, first_env) == ["pending"]
    drain(db)
    old_entry = app(db, tenant, "SELECT id FROM proofchain.rekor_entries WHERE envelope_id = %s", (first_env,), fetch="one")
    assert observation(db, tenant, old_id)["rekor_entry_id"] == old_entry, "linked by the completion, no linker call"

    new = statement("fixed")
    new_cid = verdict_id(db, tenant, new)
    env = attestation(signer, new, [new_cid])
    new_id = app(db, tenant, CHANGE, (old_id, json.dumps(env), "fix_released", log.db_log_id), fetch="one")

    assert observation(db, tenant, new_id) == {"content_id": new_cid, "status": "fixed", "supersedes": old_id,
                                               "rekor_entry_id": None, "rekor_uuid": None}
    envelope_id = app(db, tenant, """SELECT envelope_id FROM proofchain.envelope_subjects
                                      WHERE digest_algorithm = 'sha256' AND digest = %s""", (new_cid[7:],), fetch="one")
    assert queue_state(db, tenant, envelope_id) == ["pending"], "the status change is a submission for the log"
    delta = """SELECT change_kind, old_status, new_status, reason_code, old_rekor_entry_id, new_rekor_entry_id
                 FROM vex.delta_changes WHERE new_observation_id = %s"""
    assert app(db, tenant, delta, (new_id,), fetch="one") == {
        "change_kind": "status_changed", "old_status": "affected", "new_status": "fixed", "reason_code": "fix_released",
        "old_rekor_entry_id": old_entry, "new_rekor_entry_id": None}
    pending = [r["observation_id"] for r in call(db, "pgattest_worker", "SELECT * FROM vex.pending_rekor_links(10000)",
                                                 fetch="all")]
    assert new_id in pending

    drain(db)
    assert queue_state(db, tenant, envelope_id) == ["submitted"]
    stored = app(db, tenant, "SELECT id, uuid FROM proofchain.rekor_entries WHERE envelope_id = %s",
                 (envelope_id,), fetch="one")
    new_entry, uuid = stored["id"], stored["uuid"]
    linked = observation(db, tenant, new_id)
    assert (linked["rekor_entry_id"], linked["rekor_uuid"]) == (new_entry, uuid)
    changed = app(db, tenant, delta, (new_id,), fetch="one")
    assert (changed["old_rekor_entry_id"], changed["new_rekor_entry_id"]) == (old_entry, new_entry), \
        "the delta links both entries"
    assert app(db, tenant, "SELECT observation_id, status FROM vex.observations_by_rekor(%s)", (uuid,)) == \
        [{"observation_id": new_id, "status": "fixed"}]
    assert app(db, tenant, "SELECT (proofchain.verify_stored_entry(%s)) ->> 'verified'", (new_entry,),
               fetch="one") == "true"
    pending = [r["observation_id"] for r in call(db, "pgattest_worker", "SELECT * FROM vex.pending_rekor_links(10000)",
                                                 fetch="all")]
    assert new_id not in pending
    merged = app(db, tenant, "SELECT effective_status, sources FROM vex.merge(%s, %s)", (CVE, WORKER_PURL), fetch="one")
    assert merged["effective_status"] == "fixed" and merged["sources"][0]["rekor_entry_id"] == str(new_entry)


def test_both_sides_of_a_change_logged_in_one_batch_fill_the_delta(db, tenant, signer, log):
    old_id, old_cid = worker_observation(db, tenant, "affected")
    app(db, tenant, SUBMIT, (old_id, json.dumps(attestation(signer, {"observations": [old_cid]}, [old_cid])),
                             log.db_log_id))
    new = statement("fixed", timestamp="2026-12-05T00:00:00Z")
    new_id = app(db, tenant, CHANGE, (old_id, json.dumps(attestation(signer, new, [verdict_id(db, tenant, new)])),
                                      "fix_released", log.db_log_id), fetch="one")
    drain(db)
    old_entry, new_entry = observation(db, tenant, old_id)["rekor_entry_id"], observation(db, tenant, new_id)["rekor_entry_id"]
    assert None not in (old_entry, new_entry)
    assert app(db, tenant, "SELECT count(DISTINCT created_at) FROM proofchain.rekor_entries WHERE id IN (%s, %s)",
               (old_entry, new_entry), fetch="one") == 1, "both entries were stored by one completion"
    assert app(db, tenant, "SELECT old_rekor_entry_id, new_rekor_entry_id FROM vex.delta_changes WHERE new_observation_id = %s",
               (new_id,), fetch="one") == {"old_rekor_entry_id": old_entry, "new_rekor_entry_id": new_entry}


def test_a_change_signed_by_an_attestation_logged_already_is_linked_at_once(db, tenant, signer, log):
    old_id, _ = worker_observation(db, tenant, "affected")
    new = statement("fixed", timestamp="2026-12-06T00:00:00Z")
    env = json.dumps(attestation(signer, new, [verdict_id(db, tenant, new)]))
    envelope_id = app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (env, log.db_log_id), fetch="one")
    drain(db)
    entry = app(db, tenant, "SELECT id FROM proofchain.rekor_entries WHERE envelope_id = %s", (envelope_id,), fetch="one")
    new_id = app(db, tenant, CHANGE, (old_id, env, "fix_released", log.db_log_id), fetch="one")
    assert observation(db, tenant, new_id)["rekor_entry_id"] == entry
    assert app(db, tenant, "SELECT new_rekor_entry_id FROM vex.delta_changes WHERE new_observation_id = %s",
               (new_id,), fetch="one") == entry


def test_only_the_observation_submitted_is_linked_not_another_providers_same_statement(db, tenant, signer, log):
    doc = statement("under_investigation", timestamp="2026-12-07T00:00:00Z", product="pkg:npm/shared@1.0.0")
    mine, theirs = (app(db, tenant, "SELECT observation_id, content_id FROM vex.record_observation(%s, %s)",
                        (json.dumps(doc), provider), fetch="one") for provider in ("mine.example", "theirs.example"))
    assert mine["content_id"] == theirs["content_id"], "the same statement: the same content id"
    app(db, tenant, SUBMIT, (mine["observation_id"], json.dumps(attestation(signer, doc, [mine["content_id"]])),
                             log.db_log_id))
    drain(db)
    assert observation(db, tenant, mine["observation_id"])["rekor_entry_id"] is not None
    assert observation(db, tenant, theirs["observation_id"])["rekor_entry_id"] is None, \
        "the attestation was submitted for mine.example's observation"


def test_an_imported_observation_is_submitted_and_linked_with_its_hub_statements(db, tenant, signer, log):
    first = ingest(db, tenant, "csaf")[0]
    obs_id, cid = first["observation_id"], first["content_id"]
    env = json.dumps(attestation(signer, {"observations": [cid]}, [cid]))
    envelope_id = app(db, tenant, SUBMIT, (obs_id, env, log.db_log_id), fetch="one")
    assert app(db, tenant, SUBMIT, (obs_id, env, log.db_log_id), fetch="one") == envelope_id, "idempotent"
    assert queue_state(db, tenant, envelope_id) == ["pending"]
    drain(db)
    entry = app(db, tenant, "SELECT id FROM proofchain.rekor_entries WHERE envelope_id = %s", (envelope_id,), fetch="one")
    assert observation(db, tenant, obs_id)["rekor_entry_id"] == entry
    assert app(db, tenant, "SELECT array_agg(DISTINCT rekor_entry_id) FROM vexhub.statements WHERE observation_id = %s",
               (obs_id,), fetch="one") == [entry]
    assert app(db, tenant, SUBMIT, (obs_id, env, log.db_log_id), fetch="one") == envelope_id, "a retry, once linked"
    other = json.dumps(attestation(signer, {"again": True}, [cid]))
    assert sqlstate(app, db, tenant, SUBMIT, (obs_id, other, log.db_log_id)) == IMMUTABLE_VIOLATION, "proven by another entry"
    # Another attestation naming it, logged on its own, leaves the link as it is.
    other_env = app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (other, log.db_log_id), fetch="one")
    drain(db)
    assert queue_state(db, tenant, other_env) == ["submitted"]
    assert observation(db, tenant, obs_id)["rekor_entry_id"] == entry


def test_an_attestation_logged_before_its_observation_links_at_submission(db, tenant, signer, log):
    doc = statement("under_investigation", timestamp="2026-12-02T08:00:00Z", product="pkg:npm/left-pad@9.9.9")
    cid = verdict_id(db, tenant, doc)
    env = json.dumps(attestation(signer, doc, [cid]))
    envelope_id = app(db, tenant, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (env, log.db_log_id), fetch="one")
    drain(db)
    entry = app(db, tenant, "SELECT id FROM proofchain.rekor_entries WHERE envelope_id = %s", (envelope_id,), fetch="one")
    recorded = app(db, tenant, "SELECT * FROM vex.record_observation(%s, 'late.example')", (json.dumps(doc),),
                   fetch="one")
    obs_id = recorded["observation_id"]
    assert recorded["content_id"] == cid and observation(db, tenant, obs_id)["rekor_entry_id"] is None
    assert app(db, tenant, SUBMIT, (obs_id, env, log.db_log_id), fetch="one") == envelope_id
    assert observation(db, tenant, obs_id)["rekor_entry_id"] == entry


def refusal(fn, *args, **kwargs):
    """(SQLSTATE, message, hint) of the error fn raises."""
    with pytest.raises(psycopg.Error) as exc:
        fn(*args, **kwargs)
    return exc.value.sqlstate, exc.value.diag.message_primary, exc.value.diag.message_hint


def test_every_refusal_names_its_cause_and_writes_nothing(db, tenant, signer, log):
    old_id, old_cid = worker_observation(db, tenant, "affected")
    good = statement("fixed", timestamp="2026-12-03T00:00:00Z")
    good_cid = verdict_id(db, tenant, good)
    nobody = "00000000-0000-0000-0000-000000000000"

    def change(predicate, subjects=None, by=signer, reason="fix_released", obs=None, predicate_type=OPENVEX):
        env = attestation(by, predicate, [verdict_id(db, tenant, predicate)] if subjects is None else subjects,
                          predicate_type=predicate_type)
        return app(db, tenant, CHANGE, (obs or old_id, json.dumps(env), reason, log.db_log_id), fetch="one")

    def submit(obs, subjects, by=signer, as_tenant=tenant):
        env = json.dumps(attestation(by, {"observations": subjects}, subjects))
        return call(db, "pgattest_app", SUBMIT, (obs, env, log.db_log_id), tenant=as_tenant)

    before = counts(db, tenant)
    cases = [
        (lambda: call(db, "pgattest_app", CHANGE, (old_id, json.dumps(attestation(signer, good, [good_cid])),
                                                    "fix_released", log.db_log_id)), INSUFFICIENT_PRIVILEGE, "tenant"),
        (lambda: app(db, tenant, CHANGE, (old_id, None, "fix_released", None)), NULL_NOT_ALLOWED, "attestation is NULL"),
        (lambda: app(db, tenant, CHANGE, (None, "{}", "fix_released", None)), NULL_NOT_ALLOWED, "observation_id is NULL"),
        (lambda: change(good, obs=nobody), INVALID_PARAMETER, "unknown observation"),
        (lambda: change(good, reason="Fix Released"), INVALID_PARAMETER, "invalid reason_code"),
        (lambda: change(good, by=Signer()), INSUFFICIENT_PRIVILEGE, "not signed by a current trust anchor"),
        (lambda: change(good, predicate_type="https://slsa.dev/provenance/v1"), INVALID_PARAMETER, "not an OpenVEX statement"),
        (lambda: change(statement("fixed", product="pkg:npm/other@1.0.0")), INVALID_PARAMETER,
         "pkg:npm/other@1.0.0 (1 products)"),
        (lambda: change(dict(good, products=[{"@id": WORKER_PURL}, {"@id": "pkg:npm/b@2"}])), INVALID_PARAMETER, "(2 products)"),
        (lambda: app(db, tenant, CHANGE, (old_id, json.dumps(signer.envelope(payload_type="text/plain", payload=b"hi")),
                                         "fix_released", log.db_log_id)), INVALID_PARAMETER, "no in-toto statement"),
        (lambda: change(statement("affected", action_statement="Upgrade.")), INVALID_PARAMETER, "already has status affected"),
        (lambda: change(statement("fixed", timestamp="2026-01-17T09:00:00Z")), INVALID_PARAMETER, "not later"),
        (lambda: change(statement("not_affected")), INVALID_PARAMETER, "justification"),
        (lambda: change({k: v for k, v in good.items() if k != "timestamp"}), INVALID_PARAMETER, "timestamp"),
        (lambda: change(good, subjects=[old_cid]), INVALID_PARAMETER, good_cid),
        (lambda: app(db, tenant, SUBMIT, (old_id, None, None)), NULL_NOT_ALLOWED, "attestation is NULL"),
        (lambda: app(db, tenant, SUBMIT, (None, "{}", None)), NULL_NOT_ALLOWED, "observation_id is NULL"),
        (lambda: submit(nobody, [old_cid]), INVALID_PARAMETER, "unknown observation"),
        (lambda: submit(old_id, [good_cid]), INVALID_PARAMETER, f"does not name observation {old_id} ({old_cid})"),
        (lambda: submit(old_id, [old_cid], by=Signer()), INSUFFICIENT_PRIVILEGE, "not signed by a current trust anchor"),
        (lambda: submit(old_id, [old_cid], as_tenant=None), INSUFFICIENT_PRIVILEGE, "tenant"),
    ]
    for fn, state, fragment in cases:
        got_state, message, hint = refusal(fn)
        assert (got_state, fragment in message, bool(hint)) == (state, True, True), message
    assert good_cid[7:] in refusal(change, good, subjects=[old_cid])[2], "the hint gives the subject to sign"
    assert counts(db, tenant) == before, "nothing written by a refused change or submission"

    new_id = change(good)
    later = statement("affected", timestamp="2026-12-04T00:00:00Z", action_statement="Pin 1.x.")
    assert refusal(change, later)[:2] == (OBJECT_NOT_IN_STATE, f"observation {old_id} is superseded")
    assert refusal(call, db, "pgattest_worker", CHANGE, (new_id, "{}", "x_y", None))[0] == INSUFFICIENT_PRIVILEGE


def test_an_attestation_of_another_tenant_links_nothing_of_this_one(db, tenant, signer, log):
    obs_id, cid = worker_observation(db, tenant, "affected")
    stranger = new_tenant(db, signer, "vex")
    env = json.dumps(attestation(signer, {"observations": [cid]}, [cid]))
    assert sqlstate(app, db, stranger, SUBMIT, (obs_id, env, log.db_log_id)) == INVALID_PARAMETER, "another tenant's observation"
    foreign = app(db, stranger, "SELECT attestor.submit_envelope(%s::jsonb, %s)", (env, log.db_log_id), fetch="one")
    drain(db)
    assert queue_state(db, stranger, foreign) == ["submitted"]
    assert observation(db, tenant, obs_id)["rekor_entry_id"] is None, "an entry proves observations of its own tenant only"
    own = json.dumps(attestation(signer, {"own": True}, [cid]))
    app(db, tenant, SUBMIT, (obs_id, own, log.db_log_id))
    submissions = "SELECT count(*) FROM vex.observation_submissions"
    assert (app(db, tenant, submissions, fetch="one"), app(db, stranger, submissions, fetch="one")) == (1, 0)
    assert call(db, "pgattest_app", submissions) == 0, "no tenant, no rows"


def test_revert_keeps_the_links_it_made_and_deploy_restores_linking(server, fresh_db, signer):
    from ops import cluster
    from tests.support.local_rekor import LocalRekor
    from tests.support.queue_helpers import register_log
    name, dsn = fresh_db()
    target = cluster.uri_from_dsn(server, name)
    snapshot = """SELECT (SELECT jsonb_agg(to_jsonb(o) ORDER BY o.id) FROM vex.observations o),
                         (SELECT jsonb_agg(to_jsonb(d) ORDER BY d.id) FROM vex.delta_changes d),
                         (SELECT jsonb_agg(to_jsonb(q) ORDER BY q.id) FROM attestor.rekor_submission_queue q)"""
    with LocalRekor("v2") as mock:
        log_id = register_log(dsn, mock)
        t = new_tenant(dsn, signer, "mig")
        old_id, _ = worker_observation(dsn, t, "affected")
        second = app(dsn, t, "SELECT id, content_id FROM vex.observations WHERE id <> %s LIMIT 1", (old_id,), fetch="one")
        second_id, second_cid = second["id"], second["content_id"]
        new = statement("fixed")
        new_cid = verdict_id(dsn, t, new)
        new_id = app(dsn, t, CHANGE, (old_id, json.dumps(attestation(signer, new, [new_cid])), "fix_released", log_id),
                     fetch="one")
        drain(dsn)
        assert observation(dsn, t, new_id)["rekor_entry_id"] is not None
        with psycopg.connect(dsn, autocommit=True) as su:
            before = su.execute(snapshot).fetchall()
        # Reverts the linking trigger and the submission functions (the changes after attest_observation).
        cluster.sqitch(["revert", "-y", "--to", "_pgattest/attest_observation"], target)
        with psycopg.connect(dsn, autocommit=True) as su:
            assert su.execute("SELECT tgname FROM pg_trigger WHERE tgname = 'link_proven_observations'").fetchall() == []
            assert su.execute(snapshot).fetchall() == before, "reverting the submission changes loses and changes nothing"
        cluster.sqitch(["deploy", "--verify"], target)
        with psycopg.connect(dsn, autocommit=True) as su:
            assert su.execute(snapshot).fetchall() == before
        # Linking works again after the redeploy.
        app(dsn, t, SUBMIT, (second_id, json.dumps(attestation(signer, {}, [second_cid])), log_id), fetch="one")
        drain(dsn)
        assert observation(dsn, t, second_id)["rekor_entry_id"] is not None


def test_two_completions_proving_one_observation_at_once_both_complete_the_first_links(fresh_db, signer):
    import threading

    from tests.support.local_rekor import LocalRekor
    from tests.support.queue_helpers import register_log, submit_to_log
    _, dsn = fresh_db()
    with LocalRekor("v2") as mock:
        log_id = register_log(dsn, mock)
        t = new_tenant(dsn, signer, "race")
        obs_id, cid = worker_observation(dsn, t, "affected")
        for n in (1, 2):
            app(dsn, t, SUBMIT, (obs_id, json.dumps(attestation(signer, {"n": n}, [cid])), log_id))
        items = call(dsn, "pgattest_worker", "SELECT * FROM attestor.claim_submissions('race', 10)", fetch="all")
        assert len(items) == 2
        done = "SELECT attestor.complete_submission(%s, %s, %s::jsonb)"
        with psycopg.connect(dsn) as first, psycopg.connect(dsn) as second:
            for conn in (first, second):
                conn.execute("SET ROLE pgattest_worker")
            (a, b) = [(i["submission_id"], i["claim_token"], json.dumps(submit_to_log(mock, i["envelope"], i["verifier_pem"])))
                      for i in items]
            entry_a = first.execute(done, a).fetchone()[0]           # holds the observation's row lock
            result = {}
            racer = threading.Thread(target=lambda: result.update(b=second.execute(done, b).fetchone()[0]))
            racer.start()
            racer.join(1.0)
            assert racer.is_alive(), "the second completion waits for the first's lock on the observation"
            first.commit()
            racer.join(10)
            second.commit()
        assert result["b"] not in (None, entry_a), "the second completion stored its entry"
        assert observation(dsn, t, obs_id)["rekor_entry_id"] == entry_a, "the first link stays"
        assert app(dsn, t, "SELECT state, count(*) AS items FROM attestor.rekor_submission_queue GROUP BY 1") == \
            [{"state": "submitted", "items": 2}]
