"""pgattest's transparency-log worker: drains attestor.rekor_submission_queue into Rekor.

    python -m worker.rekor_worker --dsn DSN [--worker-id ID] [--batch 10] [--lease '5 minutes']
                                  [--poll-seconds 5] [--once] [--role pgattest_worker]

It LISTENs on pgattest_submissions (and polls, in case a notification was missed),
claims batches with attestor.claim_submissions, submits each envelope to its log and
hands the logs' responses for the batch to attestor.complete_submissions, which stores
them only after verifying every one (when it rejects the batch, the items are completed
one by one with attestor.complete_submission, so one bad entry fails alone). Per log:
  rekor_v1  POST {base}/api/v1/log/entries, kind dsse; HTTP 409 means the entry exists
            already, and it is fetched from the Location the log gives;
  rekor_v2  POST {base}/api/v2/log/entries, hashedrekord 0.0.2 over SHA-256 of the DSSE PAE.
Failures go to attestor.fail_submission: network errors, 5xx and 429 are retried with
backoff, other 4xx and entries the database rejects are not. A stale claim (SQLSTATE
55000: the lease expired and someone else has the item) is dropped. SIGTERM or SIGINT
finishes the batch in hand and exits 0; a killed worker loses nothing, since its leases
expire and the items are claimed again.

Connect as a login role granted pgattest_worker (or pass --role to SET ROLE). Every
statement runs in its own short transaction and no prepared statements are kept, so it
works through PgBouncer in transaction pooling mode (LISTEN needs a direct connection:
--listen-dsn).
"""

import argparse
import base64
import hashlib
import json
import logging
import os
import signal
import socket
import threading
import urllib.error
import urllib.request

import psycopg
from psycopg.rows import dict_row

from pgattest import errors, keys
from pgattest.dsse import decode_b64, pae

log = logging.getLogger("pgattest.worker")
NOT_RETRYABLE_SQLSTATES = {errors.INVALID_PARAMETER, errors.INVALID_TEXT, errors.NULL_NOT_ALLOWED, errors.SPLIT_VIEW}


class SubmitError(Exception):
    def __init__(self, message, retryable):
        super().__init__(message)
        self.retryable = retryable


def _http(method, url, body=None, timeout=10.0):
    """(status, headers, json) of one request; raises SubmitError for transport failures."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json",
                                                                         "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        text = exc.read()[:500].decode("utf-8", "replace")
        return exc.code, exc.headers, {"error": text}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SubmitError(f"{method} {url}: {exc}", retryable=True) from None


def submit_to_log(api_version, base_url, envelope, verifier_pem, timeout=10.0):
    """Submit one envelope to a Rekor log; return the log's entry (its JSON response)."""
    base = base_url.rstrip("/")
    if api_version == "rekor_v1":
        body = {"apiVersion": "0.0.1", "kind": "dsse", "spec": {"proposedContent": {
            "envelope": json.dumps(envelope, separators=(",", ":"), sort_keys=True),
            "verifiers": [base64.b64encode(verifier_pem.encode()).decode()]}}}
        status, headers, doc = _http("POST", base + "/api/v1/log/entries", body, timeout)
        if status == 409 and headers.get("Location"):
            location = headers["Location"]
            url = location if location.startswith("http") else base + location
            status, headers, doc = _http("GET", url, None, timeout)
    elif api_version == "rekor_v2":
        try:
            payload = decode_b64(envelope["payload"], "envelope payload")
            digest = hashlib.sha256(pae(envelope["payloadType"], payload)).digest()
            key = keys.load_pem(verifier_pem, "verifier_pem")
            der = keys.der_of(key)
            details = "PKIX_ED25519" if keys.algorithm_of(key) == "ed25519" else "PKIX_ECDSA_P256_SHA_256"
        except errors.InputError as exc:  # the database checked both on submission: not expected
            raise SubmitError(f"cannot build a Rekor v2 request: {exc.message}", retryable=False) from None
        body = {"hashedRekordRequestV002": {"digest": base64.b64encode(digest).decode(), "signature": {
            "content": envelope["signatures"][0]["sig"],
            "verifier": {"publicKey": {"rawBytes": base64.b64encode(der).decode()}, "keyDetails": details}}}}
        status, headers, doc = _http("POST", base + "/api/v2/log/entries", body, timeout)
    else:
        raise SubmitError(f"unknown log API {api_version}", retryable=False)
    if 200 <= status < 300:
        return doc
    retryable = status >= 500 or status == 429
    raise SubmitError(f"log answered HTTP {status}: {json.dumps(doc)[:300]}", retryable=retryable)


class Worker:
    def __init__(self, dsn, worker_id=None, batch=10, lease="5 minutes", role=None, http_timeout=10.0,
                 poll_seconds=5.0, listen_dsn=None):
        self.dsn = dsn
        self.listen_dsn = listen_dsn or dsn
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.batch = batch
        self.lease = lease
        self.role = role
        self.http_timeout = http_timeout
        self.poll_seconds = poll_seconds
        self.conn = None
        self.stats = {"submitted": 0, "failed": 0, "stale": 0}

    def connect(self, dsn, autocommit=False):
        conn = psycopg.connect(dsn, autocommit=autocommit, prepare_threshold=None)
        if self.role:
            conn.execute(psycopg.sql.SQL("SET ROLE {}").format(psycopg.sql.Identifier(self.role)))
            if not autocommit:
                conn.commit()
        return conn

    def _db(self):
        if self.conn is None or self.conn.closed:
            self.conn = self.connect(self.dsn)
        return self.conn

    def claim(self):
        """The claimed items, as dicts keyed by attestor.claim_submissions' column names."""
        conn = self._db()
        with conn.transaction():
            return conn.cursor(row_factory=dict_row).execute(
                "SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval)",
                (self.worker_id, self.batch, self.lease)).fetchall()

    def submit(self, item):
        """Send one claimed item to its log: the log's entry, or None after recording the failure."""
        try:
            return submit_to_log(item["api_version"], item["base_url"], item["envelope"], item["verifier_pem"],
                                 self.http_timeout)
        except SubmitError as exc:
            self._fail(item["submission_id"], item["claim_token"], str(exc), exc.retryable)
            return None

    def process(self, item):
        """Submit and complete one item; returns its outcome (submitted, failed, dead, stale)."""
        entry = self.submit(item)
        return self.complete_one(item, entry) if entry is not None else "failed"

    def process_batch(self, items):
        """Submit every item, then complete all that the logs accepted in one call.

        attestor.complete_submissions is all or nothing: when it rejects the batch (one
        bad entry, one lost lease), each item is completed on its own, so the good ones
        still land and only the bad one is failed.
        """
        logged = [(item, entry) for item in items for entry in [self.submit(item)] if entry is not None]
        if len(logged) > 1:
            try:
                with self._db().transaction():
                    done = self._db().execute(
                        "SELECT submission_id, rekor_entry_id FROM attestor.complete_submissions(%s::jsonb)",
                        (json.dumps([{"submission_id": str(item["submission_id"]),
                                      "claim_token": str(item["claim_token"]), "tlog_entry": entry}
                                     for item, entry in logged]),)).fetchall()
                self.stats["submitted"] += len(done)
                log.info("completed a batch of %s submissions", len(done))
                return
            except psycopg.Error as exc:
                log.warning("batch of %s rejected (SQLSTATE %s: %s); completing one by one",
                            len(logged), exc.sqlstate, exc.diag.message_primary)
        for item, entry in logged:
            self.complete_one(item, entry)

    def complete_one(self, item, entry):
        submission_id, token, log_id = item["submission_id"], item["claim_token"], item["log_id"]
        conn = self._db()
        try:
            with conn.transaction():
                rekor_entry_id = conn.execute("SELECT attestor.complete_submission(%s, %s, %s::jsonb)",
                                              (submission_id, token, json.dumps(entry))).fetchone()[0]
        except psycopg.Error as exc:
            if exc.sqlstate == errors.OBJECT_NOT_IN_STATE:
                self.stats["stale"] += 1
                log.warning("submission %s: lease lost, dropped (%s)", submission_id, exc.diag.message_primary)
                return "stale"
            if exc.sqlstate == errors.SPLIT_VIEW:
                log.error("submission %s: SPLIT VIEW in log %s: %s", submission_id, log_id, exc.diag.message_primary)
                self._record_split_view(log_id, entry)
            return self._fail(submission_id, token, f"SQLSTATE {exc.sqlstate}: {exc.diag.message_primary}",
                              exc.sqlstate not in NOT_RETRYABLE_SQLSTATES)
        self.stats["submitted"] += 1
        log.info("submission %s (tenant %s, attempt %s): logged as %s", submission_id, item["tenant_id"],
                 item["attempts"], rekor_entry_id)
        return "submitted"

    def _record_split_view(self, log_id, entry):
        """Keep the evidence the rolled-back completion carried, in a transaction of its own."""
        if "inclusionProof" in entry:  # Rekor v2 / bundle form
            note = (entry["inclusionProof"].get("checkpoint") or {}).get("envelope")
        else:  # Rekor v1 REST form {uuid: {...}}
            note = next(iter(entry.values()), {}).get("verification", {}).get("inclusionProof", {}).get("checkpoint")
        if note:
            try:
                with self._db().transaction():
                    self._db().execute("SELECT attestor.record_split_view(%s, %s)", (log_id, note))
            except psycopg.Error as exc:
                log.error("could not record split-view evidence: %s", exc.diag.message_primary)

    def _fail(self, submission_id, token, error, retryable):
        conn = self._db()
        try:
            with conn.transaction():
                state = conn.execute("SELECT attestor.fail_submission(%s, %s, %s, %s)",
                                     (submission_id, token, error, retryable)).fetchone()[0]
        except psycopg.Error as exc:
            if exc.sqlstate == errors.OBJECT_NOT_IN_STATE:
                self.stats["stale"] += 1
                return "stale"
            raise
        self.stats["failed"] += 1
        log.warning("submission %s: %s (%s)", submission_id, state, error)
        return state

    def run_once(self):
        """Claim one batch and process it; return how many items were claimed."""
        items = self.claim()
        self.process_batch(items)
        return len(items)

    def run(self, stop_event):
        listener = self.connect(self.listen_dsn, autocommit=True)
        listener.execute("LISTEN pgattest_submissions")
        try:
            while not stop_event.is_set():
                # A stop waits for the batch in hand: its leases would otherwise hold the
                # items until they expire.
                claimed = self.run_once()
                if claimed < self.batch and not stop_event.is_set():
                    # Wait for a notification, or poll; wake at least once a second to notice a stop.
                    waited = 0.0
                    while waited < self.poll_seconds and not stop_event.is_set():
                        if list(listener.notifies(timeout=min(1.0, self.poll_seconds), stop_after=1)):
                            break
                        waited += 1.0
        finally:
            listener.close()
            if self.conn is not None:
                self.conn.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dsn", default=os.environ.get("DATABASE_URL", ""))
    ap.add_argument("--listen-dsn", default=None, help="direct connection for LISTEN (when --dsn is a pooler)")
    ap.add_argument("--worker-id", default=None)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--lease", default="5 minutes")
    ap.add_argument("--poll-seconds", type=float, default=5.0)
    ap.add_argument("--http-timeout", type=float, default=10.0)
    ap.add_argument("--role", default=os.environ.get("PGATTEST_WORKER_ROLE"))
    ap.add_argument("--once", action="store_true", help="process one batch and exit")
    args = ap.parse_args(argv)
    logging.basicConfig(level=os.environ.get("PGATTEST_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    worker = Worker(args.dsn, args.worker_id, args.batch, args.lease, args.role, args.http_timeout,
                    args.poll_seconds, args.listen_dsn)
    if args.once:
        worker.run_once()
        return 0
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    log.info("worker %s started", worker.worker_id)
    worker.run(stop)
    log.info("worker %s stopped: %s", worker.worker_id, worker.stats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
