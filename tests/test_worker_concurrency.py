"""Issue 16: the worker hides the log's latency and behaves with a log that is slow, limits
it, lies or is told to stop. The log is the development log (ops/devlog.py) in process, so
the tests read what it saw (requests in flight, their times, its tree)."""

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

from pgattest.dsse import pae
from tests.support.local_rekor import LocalRekor
from tests.support.queue_helpers import Signer, call, new_tenant, register_log
from tests.support.resilience import wait_until
from worker.rekor_worker import Worker, check_settings

ROOT = Path(__file__).resolve().parents[1]


class KeySigner(Signer):
    """A DSSE signer with a key of any type the database accepts."""
    KEYS = {
        "p256": (lambda: ec.generate_private_key(ec.SECP256R1()), lambda k, m: k.sign(m, ec.ECDSA(hashes.SHA256())),
                 "PKIX_ECDSA_P256_SHA_256"),
        "p384": (lambda: ec.generate_private_key(ec.SECP384R1()), lambda k, m: k.sign(m, ec.ECDSA(hashes.SHA384())),
                 "PKIX_ECDSA_P384_SHA_384"),
        "ed25519": (ed25519.Ed25519PrivateKey.generate, lambda k, m: k.sign(m), "PKIX_ED25519"),
        "rsa": (lambda: rsa.generate_private_key(65537, 2048),
                lambda k, m: k.sign(m, padding.PKCS1v15(), hashes.SHA256()), "PKIX_RSA_PKCS1V15_2048_SHA256"),
    }

    def __init__(self, kind):
        make, self.sign, self.details = self.KEYS[kind]
        self.key = make()
        self.pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def envelope(self, n=None, **kw):
        payload = json.dumps({"_type": "https://in-toto.io/Statement/v1", "n": os.urandom(8).hex(),
                              "subject": [{"name": "a", "digest": {"sha256": os.urandom(32).hex()}}],
                              "predicateType": "https://slsa.dev/provenance/v1", "predicate": {}}).encode()
        ptype = "application/vnd.in-toto+json"
        return {"payloadType": ptype, "payload": base64.b64encode(payload).decode(),
                "signatures": [{"keyid": "", "sig": base64.b64encode(self.sign(self.key, pae(ptype, payload))).decode()}]}


@pytest.fixture(scope="module")
def signer():
    return Signer()


def park_others(db):
    """Items other tests left due would share the claims: park them."""
    with psycopg.connect(db, autocommit=True) as su:
        su.execute("UPDATE attestor.rekor_submission_queue SET next_attempt_at = now() + interval '1 day' "
                   "WHERE state IN ('pending', 'failed', 'claimed')")


def submit_many(db, tenant, signer, log_id, n):
    with psycopg.connect(db) as conn:
        conn.execute("SET ROLE pgattest_app")
        conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        ids = [conn.execute("SELECT attestor.submit_envelope(%s::jsonb, %s)",
                            (json.dumps(signer.envelope()), log_id)).fetchone()[0] for _ in range(n)]
        conn.commit()
        return ids


def states(db, tenant):
    with psycopg.connect(db, row_factory=dict_row) as conn:
        rows = conn.execute("""SELECT state, count(*) AS items FROM attestor.rekor_submission_queue
                                WHERE tenant_id = %s GROUP BY state""", (tenant,)).fetchall()
    return {row["state"]: row["items"] for row in rows}


def posts(log):
    return [(t, status) for t, method, path, status in log.request_log if method == "POST"]


def test_requests_in_flight_stay_within_the_limit_and_reach_it(db, signer):
    park_others(db)
    with LocalRekor("v2", latency_ms=300) as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, "conc")
        submit_many(db, tenant, signer, log_id, 40)
        Worker(db, "conc", batch=40, concurrency=8, role="pgattest_worker", http_timeout=5).run_once()
        assert states(db, tenant) == {"submitted": 40}
        assert log.max_in_flight == 8, "8 requests at a time: never more, and the limit is used"


def _spawn(db, name, *extra, log_level="WARNING"):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    dsn = make_conninfo(db, application_name=name)
    return subprocess.Popen([sys.executable, "-m", "worker.rekor_worker", "--dsn", dsn, "--worker-id", name,
                             "--role", "pgattest_worker", "--log-level", log_level, *extra],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_the_worker_claims_ahead_while_batches_are_at_the_log(db, signer):
    park_others(db)
    with LocalRekor("v2", latency_ms=700) as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, "ahead")
        submit_many(db, tenant, signer, log_id, 90)
        proc = _spawn(db, "ahead", "--batch", "10", "--concurrency", "30", "--poll-seconds", "0.5")
        try:
            wait_until(lambda: states(db, tenant) == {"submitted": 90}, 120, "the queue to drain", interval=0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0, proc.stderr.read().decode()[-2000:]
        assert 10 < log.max_in_flight <= 30, f"several batches of 10 at the log at once ({log.max_in_flight})"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(db, signer, status):
    park_others(db)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, f"ra{status}")
        submit_many(db, tenant, signer, log_id, 1)
        log.fail_next(1, status, retry_after=1)
        Worker(db, "ra", role="pgattest_worker", http_retries=2).run_once()
        assert states(db, tenant) == {"submitted": 1}, "retried in process after the pause"
        (t0, s0), (t1, s1) = posts(log)
        assert (s0, s1) == (status, 201)
        assert t1 - t0 >= 0.95, f"the retry waited {t1 - t0:.2f} s, not the Retry-After of 1 s"


def test_a_failing_log_is_backed_off_not_hammered(db, signer):
    park_others(db)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, "down")
        submit_many(db, tenant, signer, log_id, 10)
        log.fail_next(10_000, 503)  # down, no Retry-After
        started = time.monotonic()
        Worker(db, "down", batch=10, role="pgattest_worker", http_retries=2).run_once()
        took = time.monotonic() - started
        assert states(db, tenant) == {"failed": 10}, "then each item waits for its backoff in the queue"
        assert len(posts(log)) == 30, "each item tried once and retried twice: no spinning"
        # Between the rounds the whole log is paused (0.25 s, then 0.5 s, each at least halved by jitter):
        # the ten requests of a round escalate the backoff once, not ten times (which paused for a minute).
        assert 0.35 <= took < 15, f"{took:.1f} s: the backoff must grow per round of failures, not per request"


@pytest.mark.parametrize("kind", ["p256", "p384", "ed25519", "rsa"])
def test_a_v2_dsse_entry_round_trip(db, kind):
    park_others(db)
    signer = KeySigner(kind)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, f"dsse-{kind}")
        submit_many(db, tenant, signer, log_id, 3)
        Worker(db, f"dsse-{kind}", batch=10, role="pgattest_worker").run_once()
        assert states(db, tenant) == {"submitted": 3}
        entries = call(db, "pgattest_app", """SELECT kind, kind_version, convert_from(canonicalized_body, 'UTF8') AS body,
                                                     (proofchain.verify_stored_entry(id) ->> 'verified')::boolean AS verified
                                                FROM proofchain.rekor_entries""", tenant=tenant, fetch="all")
        assert len(entries) == 3
        for e in entries:
            assert (e["kind"], e["kind_version"], e["verified"]) == ("dsse", "0.0.2", True)
            body = json.loads(e["body"])["spec"]["dsseV002"]
            assert [s["verifier"]["keyDetails"] for s in body["signatures"]] == [signer.details]


@pytest.mark.parametrize("lie", ["corrupt", "forge"])
def test_a_lying_log_response_is_never_stored(db, signer, lie):
    park_others(db)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, f"lie-{lie}")
        submit_many(db, tenant, signer, log_id, 4)
        (log.lie_next if lie == "corrupt" else log.forge_next)(4)
        Worker(db, f"lie-{lie}", batch=10, role="pgattest_worker").run_once()
        assert states(db, tenant) == {"dead": 4}
        assert call(db, "pgattest_app", "SELECT count(*) FROM proofchain.rekor_entries", tenant=tenant) == 0
        errors = call(db, "pgattest_app", "SELECT last_error FROM attestor.rekor_submission_queue", tenant=tenant,
                      fetch="all")
        expected = "does not verify" if lie == "corrupt" else "records another envelope"
        assert all(expected in e["last_error"] for e in errors), errors


def test_sigterm_hands_back_what_the_worker_holds(db, signer):
    park_others(db)
    with LocalRekor("v2", latency_ms=4000) as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, "handback")
        submit_many(db, tenant, signer, log_id, 20)
        proc = _spawn(db, "handback", "--batch", "20", "--concurrency", "5", "--drain-seconds", "0.5",
                      "--lease", "10 minutes", "--http-timeout", "10", log_level="INFO")
        wait_until(lambda: log.in_flight == 5, 30, "five requests at the log", interval=0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        lines = [json.loads(line) for line in proc.stderr.read().decode().splitlines() if line.startswith("{")]
        # It held five (one log, concurrency 5), all at the log for longer than --drain-seconds.
        assert sum(line.get("items", 0) for line in lines if line["event"] == "claims handed back") == 5
        with psycopg.connect(db, row_factory=dict_row) as conn:
            rows = conn.execute("""SELECT state, attempts, lease_owner, next_attempt_at <= now() AS due
                                     FROM attestor.rekor_submission_queue WHERE tenant_id = %s""", (tenant,)).fetchall()
        assert rows and all(r == {"state": "pending", "attempts": 0, "lease_owner": None, "due": True} for r in rows), \
            "handed back: due at once, the attempt not counted"
        size = log.size  # the five at the log when it stopped were appended
        log.latency = 0
        Worker(db, "successor", batch=50, role="pgattest_worker").run_once()
        assert states(db, tenant) == {"submitted": 20}, "another worker takes them at once"
        assert log.size == 20 and size == 5, "each envelope in the log exactly once"


def test_settings_where_a_batch_cannot_finish_within_the_lease_are_refused(db):
    with pytest.raises(ValueError, match="lease"):
        check_settings(batch=50, concurrency=10, lease=10, http_timeout=0.5, http_retries=2)
    check_settings(batch=50, concurrency=50, lease=10, http_timeout=0.5, http_retries=2)
    proc = _spawn(db, "refused", "--batch", "50", "--concurrency", "1", "--lease", "10 seconds", "--http-timeout", "5")
    assert proc.wait(timeout=30) == 2 and b"refusing to start" in proc.stderr.read()


def test_leases_are_renewed_while_the_log_makes_the_worker_wait(db, signer):
    """A Retry-After longer than the lease: without renewal another worker would claim the
    items the first one still holds."""
    park_others(db)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, "renew")
        submit_many(db, tenant, signer, log_id, 5)
        log.fail_next(1, 429, retry_after=8)
        proc = _spawn(db, "renewing", "--batch", "5", "--concurrency", "5", "--lease", "6 seconds",
                      "--http-timeout", "1", "--http-retries", "1", "--poll-seconds", "0.5")
        try:
            wait_until(lambda: len(posts(log)) >= 1, 30, "the first request", interval=0.1)
            stolen = []
            deadline = time.time() + 9
            while time.time() < deadline and states(db, tenant) != {"submitted": 5}:
                stolen += call(db, "pgattest_worker", "SELECT * FROM attestor.claim_submissions('thief', 100, '1 minute')",
                               fetch="all")
                time.sleep(0.5)
            wait_until(lambda: states(db, tenant) == {"submitted": 5}, 30, "the items to be logged", interval=0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        assert [s for s in stolen if s["tenant_id"] == tenant] == [], "no item was claimed from under its worker"
        assert call(db, "pgattest_app", "SELECT max(attempts) FROM attestor.rekor_submission_queue", tenant=tenant) == 1


def test_metrics_count_what_the_worker_did(db, signer):
    from prometheus_client import generate_latest
    park_others(db)
    with LocalRekor("v2") as log:
        log_id = register_log(db, log)
        tenant = new_tenant(db, signer, "metrics")
        submit_many(db, tenant, signer, log_id, 3)
        log.fail_next(1, 503, retry_after=0)
        worker = Worker(db, "metrics", batch=10, role="pgattest_worker", http_timeout=5)
        worker.run_once()
        text = generate_latest(worker.metrics.registry).decode()
        assert f'pgattest_worker_submitted_total{{log_id="{log_id}"}} 3.0' in text
        assert f'pgattest_worker_retried_total{{log_id="{log_id}"}} 1.0' in text
        assert f'pgattest_worker_log_latency_seconds_count{{log_id="{log_id}"}} 4.0' in text
        assert f'pgattest_worker_in_flight{{log_id="{log_id}"}} 0.0' in text and "pgattest_worker_held 0.0" in text


def test_help_documents_every_option_default_and_variable():
    from worker import rekor_worker
    from ops import devlog
    for module, options in (("worker.rekor_worker", rekor_worker.OPTIONS), ("ops.devlog", devlog.OPTIONS)):
        text = " ".join(subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True,
                                       text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True).stdout.split())
        for flag, env, default, kind, _ in options:
            assert flag in text and "[default:" in text
            if env:
                assert f"env {env}]" in text, (module, flag)
    source = (ROOT / "worker" / "rekor_worker.py").read_text()
    assert "os.environ.get(" not in source and "os.getenv(" not in source, "every variable it reads is an option's"
