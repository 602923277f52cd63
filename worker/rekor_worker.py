"""pgattest's transparency-log worker: drains attestor.rekor_submission_queue into Rekor.

    python -m worker.rekor_worker --dsn DSN [--listen-dsn DSN] [--concurrency 128] [--batch 50] ...
    python -m worker.rekor_worker --help        (every option, its default and its variable)

What it does. It LISTENs on pgattest_submissions (the payload is only a hint: it also
polls) and claims batches with attestor.claim_submissions. Each claimed item is sent to its
log at once, concurrently: per log at most --concurrency requests are in flight, over
keep-alive connections (httpx), and the worker claims the next batch while earlier ones
are still at the log, holding up to --concurrency items per log, so a log answering in a
second still drains the queue at about concurrency items per second per worker. A claim
skips (skip_logs) the logs the worker has paused or has no room for, so a log that is
down never holds another log's room and its items wait in the queue, not in the worker;
while logs are skipped, a notification claims at most once a second. The logs' answers
are completed in batches of up to --batch with attestor.complete_submissions, which
stores them only after verifying every one (when it rejects a batch, the items are
completed one by one with attestor.complete_submission, so one bad entry fails alone).
  rekor_v1  POST {base}/api/v1/log/entries, kind dsse 0.0.1 (every signature); HTTP 409 means
            the entry exists already, and it is fetched from the Location the log gives;
  rekor_v2  POST {base}/api/v2/log/entries, a dsse entry (rekor-tiles' dsseRequestV002: the
            envelope with the signatures its signer's key verifies, and that key with
            keyDetails following it: ECDSA P-256/P-384, Ed25519, RSA).

Faults. A 429 or 503 pauses the log for its Retry-After (else for a backoff that grows
while the log keeps failing, up to 60 s) and the item is retried after the pause, up to
--http-retries times; then, and for network errors and other 5xx, the item goes to
attestor.fail_submission (retried later with backoff); other 4xx and entries the database
rejects are not retried (dead). A stale claim (SQLSTATE 55000) is dropped. The worker
renews the leases of the items it holds (attestor.renew_leases, every third of --lease),
and refuses to start when one batch could not finish within a lease. A lost database
connection (PostgreSQL or the pooler restarting) is reopened with backoff, and the
LISTEN connection is reopened and LISTENs again. SIGTERM or SIGINT: no more claims; items
at the log get up to --drain-seconds to finish, the rest are handed back at once with
attestor.release_submissions; exit 0. A killed worker loses nothing: its leases expire
and are claimed before any other due item.

Pooler-safe. Connect as a login role granted pgattest_worker. --role, if given, is set
with SET LOCAL ROLE inside each transaction (never for the session), every statement runs
in its own short transaction, and no prepared statements are kept, so --dsn may point at
PgBouncer in transaction pooling mode. LISTEN needs a session: give --listen-dsn a direct
connection to PostgreSQL when --dsn is a pooler.

Maintenance. Where pg_cron does not run pgattest's schedule, the workers do: every
--maintenance-seconds (0: never) one of them (an advisory lock picks it; the others skip the
round) creates the coming months' partitions of audit.events with
audit.maintain_partitions() (without them, every audited write fails once the last month
made is over) and refreshes the triage views with triage.refresh(). A failure is logged
and tried again next round; it never stops the queue.

Operable. One structured (JSON) log line per completed batch and per failure; counters
in the Prometheus text format on --metrics-port (submitted, failed, retried, stale,
released, in flight, held, log latency).
"""

import asyncio
import json
import logging
import math
import os
import random
import re
import signal
import socket
import ssl
import sys
import time
from collections import Counter
from urllib.parse import urljoin

import certifi
import httpx
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from pgattest import errors, rekor_dsse

log = logging.getLogger("pgattest.worker")
NOT_RETRYABLE_SQLSTATES = {errors.INVALID_PARAMETER, errors.INVALID_TEXT, errors.NULL_NOT_ALLOWED, errors.SPLIT_VIEW}
MAX_PAUSE = 60.0
# While logs are skipped, a notification claims at most this often (see Worker._may_claim).
SKIPPING_CLAIM_GAP = 1.0
POOL = 16

OPTIONS = [
    # (flag, environment variable, default, type, help)
    ("--dsn", "DATABASE_URL", "", str, "connection for claims and completions (may be a pooler)"),
    ("--listen-dsn", "PGATTEST_LISTEN_DSN", None, str, "direct connection for LISTEN (default: --dsn)"),
    ("--role", "PGATTEST_WORKER_ROLE", None, str,
     "role set with SET LOCAL ROLE in each transaction (default: none; connect as a login granted pgattest_worker)"),
    ("--worker-id", "PGATTEST_WORKER_ID", None, str, "lease owner name (default host:pid)"),
    ("--batch", "PGATTEST_WORKER_BATCH", 50, int, "items per claim and per batched completion"),
    ("--concurrency", "PGATTEST_WORKER_CONCURRENCY", 128, int,
     "requests in flight per log, and items held per log the worker has seen"),
    ("--lease", "PGATTEST_WORKER_LEASE", "5 minutes", str, "lease of a claim ('90 seconds', '5 minutes'), renewed every third"),
    ("--http-timeout", "PGATTEST_WORKER_HTTP_TIMEOUT", 30.0, float, "seconds for one request to a log"),
    ("--http-retries", "PGATTEST_WORKER_HTTP_RETRIES", 2, int, "retries of an item after a 429/503 pause, in process"),
    ("--poll-seconds", "PGATTEST_WORKER_POLL_SECONDS", 5.0, float, "claim at least this often without a notification"),
    ("--drain-seconds", "PGATTEST_WORKER_DRAIN_SECONDS", 10.0, float,
     "on SIGTERM, how long items at the log may take before they are handed back"),
    ("--maintenance-seconds", "PGATTEST_WORKER_MAINTENANCE_SECONDS", 300.0, float,
     "run audit.maintain_partitions() and triage.refresh() this often (0: never; pg_cron does it)"),
    ("--metrics-port", "PGATTEST_WORKER_METRICS_PORT", None, int, "serve Prometheus metrics on this port (default: off)"),
    ("--log-level", "PGATTEST_LOG_LEVEL", "INFO", str, "DEBUG, INFO, WARNING or ERROR"),
    ("--once", None, False, bool, "claim one batch, process it, exit"),
]


# Maintenance jobs: (name, statement). Each statement takes its own transaction-level
# advisory lock and does nothing (NULL) when another worker holds it, so one worker runs a
# job per round and concurrent partition creation cannot collide. The lock keys are
# constants of pgattest's ('pgat' and a job number).
MAINTENANCE = (
    ("audit partitions", "SELECT CASE WHEN pg_try_advisory_xact_lock(1885823860, 1) "
                         "THEN (SELECT count(*) FROM audit.maintain_partitions()) END AS changed"),
    ("triage refresh", "SELECT CASE WHEN pg_try_advisory_xact_lock(1885823860, 2) "
                       "THEN (SELECT count(*) FROM triage.refresh()) END AS changed"),
)


# --- logging and metrics -----------------------------------------------------------------

class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, event, and the event's fields."""

    def format(self, record):
        doc = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
               "level": record.levelname.lower(), "event": record.getMessage()}
        doc.update(getattr(record, "fields", {}))
        return json.dumps(doc, default=str)


def event(level, name, **fields):
    log.log(level, name, extra={"fields": fields})


class Metrics:
    """The worker's counters; exported when prometheus_client is given a port."""

    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
        self.registry = CollectorRegistry()
        r = self.registry
        self.submitted = Counter("pgattest_worker_submitted", "Items logged and stored verified", ["log_id"], registry=r)
        self.failed = Counter("pgattest_worker_failed", "Items failed (to retry later or dead)", ["log_id", "state"],
                              registry=r)
        self.retried = Counter("pgattest_worker_retried", "Requests retried after a 429/503 pause", ["log_id"], registry=r)
        self.stale = Counter("pgattest_worker_stale", "Items dropped: the lease was lost", registry=r)
        self.released = Counter("pgattest_worker_released", "Items handed back on stop", registry=r)
        self.reconnects = Counter("pgattest_worker_reconnects", "Database reconnections", ["connection"], registry=r)
        self.in_flight = Gauge("pgattest_worker_in_flight", "Requests at a log now", ["log_id"], registry=r)
        self.held = Gauge("pgattest_worker_held", "Items claimed and not yet completed", registry=r)
        self.maintenance = Counter("pgattest_worker_maintenance", "Maintenance job rounds", ["job", "outcome"],
                                   registry=r)
        self.latency = Histogram("pgattest_worker_log_latency_seconds", "Time a log takes to answer", ["log_id"],
                                 buckets=(.01, .05, .1, .2, .5, 1, 2, 5, 10, 30), registry=r)

    def serve(self, port):
        from prometheus_client import start_http_server
        start_http_server(port, registry=self.registry)


# --- talking to a log ----------------------------------------------------------------------

class SubmitError(Exception):
    def __init__(self, message, retryable, status=None, retry_after=None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


def build_request(api_version, base_url, envelope, verifier_pem):
    """(url, JSON body) of the request submitting a DSSE envelope to a log of api_version."""
    base = base_url.rstrip("/")
    if api_version == "rekor_v1":
        return base + "/api/v1/log/entries", {"apiVersion": "0.0.1", "kind": "dsse", "spec": {"proposedContent": {
            "envelope": json.dumps(envelope, separators=(",", ":"), sort_keys=True),
            "verifiers": [_b64text(verifier_pem)]}}}
    if api_version == "rekor_v2":
        try:
            return base + "/api/v2/log/entries", rekor_dsse.request(envelope, verifier_pem)
        except errors.InputError as exc:  # the database checked both on submission: not expected
            raise SubmitError(f"cannot build a Rekor v2 request: {exc.message}", retryable=False) from None
    raise SubmitError(f"unknown log API {api_version}", retryable=False)


def _b64text(text):
    import base64
    return base64.b64encode(text.encode()).decode()


def _retry_after(headers):
    """Seconds of a Retry-After header (delta seconds or an HTTP date), or None."""
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _json(response):
    try:
        return response.json()
    except ValueError:
        return {"error": response.text[:300]}


def _outcome(api_version, base, response, refetch):
    """The entry of a response, or SubmitError; refetch(url) follows a v1 409."""
    if api_version == "rekor_v1" and response.status_code == 409 and response.headers.get("Location"):
        return refetch(urljoin(base + "/", response.headers["Location"]))
    if 200 <= response.status_code < 300:
        return _json(response)
    status = response.status_code
    raise SubmitError(f"log answered HTTP {status}: {json.dumps(_json(response))[:300]}",
                      retryable=status >= 500 or status in (408, 429), status=status,
                      retry_after=_retry_after(response.headers))


def submit_to_log(api_version, base_url, envelope, verifier_pem, timeout=10.0):
    """Submit one envelope to a Rekor log, synchronously; return the log's entry (its JSON
    response). The worker's request, for tools and tests; the worker itself sends
    concurrently (LogClient)."""
    url, body = build_request(api_version, base_url, envelope, verifier_pem)
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.post(url, json=body)
            return _outcome(api_version, base_url.rstrip("/"), response,
                            lambda u: _outcome(api_version, base_url, client.get(u), None))
    except httpx.HTTPError as exc:
        raise SubmitError(f"POST {url}: {type(exc).__name__}: {exc}", retryable=True) from None


class LogClient:
    """One log: a keep-alive connection pool, at most `concurrency` requests in flight, and
    a pause (Retry-After, or a backoff growing while the log keeps failing) every request
    to the log waits out."""

    def __init__(self, log_id, api_version, base_url, concurrency, timeout, metrics):
        self.log_id, self.api_version, self.base = log_id, api_version, base_url.rstrip("/")
        self.slots = asyncio.Semaphore(concurrency)
        # Several pools of at most POOL connections, used in turn: httpcore's pool scans
        # every connection for each request, which at 128 connections cost more CPU than
        # the requests themselves.
        pools = math.ceil(concurrency / POOL)
        size = math.ceil(concurrency / pools)
        tls = ssl.create_default_context(cafile=certifi.where())  # loaded once, not per pool
        self.clients = [httpx.AsyncClient(timeout=timeout, verify=tls, limits=httpx.Limits(
            max_connections=size, max_keepalive_connections=size)) for _ in range(pools)]
        self.turn = 0
        self.paused_until = 0.0
        self.failures = 0
        self.failed_at = 0.0      # when the last failure was seen
        self.in_flight = 0
        self.metrics = metrics

    def pause(self, seconds):
        self.paused_until = max(self.paused_until, time.monotonic() + min(seconds, MAX_PAUSE))

    async def _ready(self):
        while (wait := self.paused_until - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    async def submit(self, envelope, verifier_pem, item=None):
        url, body = build_request(self.api_version, self.base, envelope, verifier_pem)
        async with self.slots:
            await self._ready()
            if item is not None:
                item.started = True  # at the log now: a stop gives it time to finish
            self.in_flight += 1
            self.metrics.in_flight.labels(self.log_id).inc()
            started = time.monotonic()
            self.turn = (self.turn + 1) % len(self.clients)
            client = self.clients[self.turn]
            try:
                response = await client.post(url, json=body)
                if self.api_version == "rekor_v1" and response.status_code == 409:
                    location = response.headers.get("Location")
                    if location:
                        response = await client.get(urljoin(self.base + "/", location))
                entry = _outcome(self.api_version, self.base, response, None)
                self.failures = 0
                return entry
            except httpx.HTTPError as exc:
                self._failed(None, started)
                raise SubmitError(f"POST {url}: {type(exc).__name__}: {str(exc)[:200]}", retryable=True) from None
            except SubmitError as exc:
                if exc.retryable:
                    self._failed(exc.retry_after, started)
                raise
            finally:
                self.in_flight -= 1
                self.metrics.in_flight.labels(self.log_id).dec()
                self.metrics.latency.labels(self.log_id).observe(time.monotonic() - started)

    def _failed(self, retry_after, sent_at):
        """A log that keeps failing is paused for longer each time instead of being hammered.
        The requests of one round (sent before the last failure was seen) fail together and
        escalate the backoff once: counted per request, 10 concurrent failures paused a
        log for a minute at its first outage."""
        if sent_at >= self.failed_at:
            self.failures += 1
        self.failed_at = time.monotonic()
        self.pause(retry_after if retry_after is not None
                   else min(MAX_PAUSE, 0.25 * 2 ** min(self.failures - 1, 8)) * random.uniform(0.5, 1.0))

    async def close(self):
        for client in self.clients:
            await client.aclose()


# --- the worker ----------------------------------------------------------------------------

def lease_seconds(text):
    """Seconds of a lease given as '90', '90s', '90 seconds', '5 minutes', '1 hour'."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)?\s*", str(text))
    if not m:
        raise ValueError(f"cannot read the lease {str(text)[:40]!r}: say '90 seconds' or '5 minutes'")
    unit = (m.group(2) or "s")[0]
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[unit]


def check_settings(batch, concurrency, lease, http_timeout, http_retries):
    """Refuse settings where one batch cannot finish within its lease: a batch takes
    ceil(batch / concurrency) rounds of requests, each up to http_timeout and retried up
    to http_retries times, and the lease must outlast that with a margin for renewal."""
    if batch < 1 or batch > 1000:
        raise ValueError("--batch must be 1 to 1000")
    if concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    worst = math.ceil(batch / concurrency) * http_timeout * (1 + http_retries)
    if worst * 1.5 > lease:
        raise ValueError(f"a batch of {batch} at concurrency {concurrency} may take {worst:.0f} s "
                         f"({http_timeout:g} s timeout, {http_retries} retries), more than the lease of {lease:g} s "
                         "allows: raise --lease or --concurrency, or lower --batch or --http-timeout")


def _connection_lost(exc, conn):
    """A database error that means the connection is gone (server or pooler restart)."""
    if not isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return False
    state = getattr(exc, "sqlstate", None)
    return (conn is None or conn.closed or state is None or state.startswith("08")
            or state in ("57P01", "57P02", "57P03"))


class Item:
    __slots__ = ("row", "task", "started", "lost")

    def __init__(self, row):
        self.row, self.task, self.started, self.lost = row, None, False, False

    def __getitem__(self, key):
        return self.row[key]


class Worker:
    def __init__(self, dsn, worker_id=None, batch=10, lease="5 minutes", role=None, http_timeout=30.0,
                 poll_seconds=5.0, listen_dsn=None, concurrency=128, http_retries=2, drain_seconds=10.0,
                 metrics=None, maintenance_seconds=300.0):
        self.dsn = dsn
        self.listen_dsn = listen_dsn or dsn
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.batch = batch
        self.lease = lease_seconds(lease)
        self.role = role
        self.http_timeout = http_timeout
        self.http_retries = http_retries
        self.poll_seconds = poll_seconds
        self.concurrency = concurrency
        self.drain_seconds = drain_seconds
        if not maintenance_seconds >= 0:
            raise ValueError(f"--maintenance-seconds must be 0 (never) or more, not {maintenance_seconds}")
        self.maintenance_seconds = maintenance_seconds
        check_settings(batch, concurrency, self.lease, http_timeout, http_retries)
        self.metrics = metrics or Metrics()
        self.stats = {"submitted": 0, "failed": 0, "stale": 0, "released": 0, "retried": 0, "reconnects": 0}
        self.conn = None
        self.db_lock = None
        self.logs = {}
        self.held = {}            # claim token -> Item
        self.done = []            # (Item, entry) awaiting completion
        self.wake = None
        self.space = None
        self.stopping = False

    # --- the database, one short transaction per call, reconnecting ----------------------
    async def _connect(self, dsn, autocommit):
        delay = 0.2
        while True:
            try:
                return await psycopg.AsyncConnection.connect(dsn, autocommit=autocommit, prepare_threshold=None)
            except psycopg.OperationalError as exc:
                event(logging.WARNING, "database unreachable", retry_in=round(delay, 2), error=str(exc)[:200])
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, 10.0)

    async def _transaction(self, conn, statement, params=(), fetch=True):
        """statement in a transaction of its own on conn, as --role (SET LOCAL); rows as dicts."""
        async with conn.transaction():
            if self.role:
                await conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(self.role)))
            cur = conn.cursor(row_factory=dict_row)
            await cur.execute(statement, params)
            return await cur.fetchall() if fetch else None

    async def db(self, statement, params=(), fetch=True):
        """Run one statement in its own transaction (as --role, set locally); rows as dicts.
        A lost connection is reopened with backoff and the statement run again: every
        worker call is safe to repeat (a repeated completion returns what was stored, a
        repeated failure or release finds the lease gone, a lost claim's leases expire)."""
        async with self.db_lock:
            while True:
                if self.conn is None or self.conn.closed:
                    self.conn = await self._connect(self.dsn, autocommit=False)
                conn = self.conn
                try:
                    return await self._transaction(conn, statement, params, fetch)
                except psycopg.Error as exc:
                    if not _connection_lost(exc, conn):
                        raise
                    event(logging.WARNING, "database connection lost; reconnecting", sqlstate=exc.sqlstate,
                          error=str(exc)[:200])
                    self.stats["reconnects"] += 1
                    self.metrics.reconnects.labels("queue").inc()
                    try:
                        await conn.close()
                    except psycopg.Error:
                        pass
                    self.conn = None
                    await asyncio.sleep(random.uniform(0.1, 0.5))

    async def listen(self):
        """LISTEN on a connection of its own, reopened (and LISTENing again) when lost; a
        notification only wakes the claimer (its payload is a hint, not read)."""
        delay = 0.2
        while not self.stopping:
            conn = None
            try:
                conn = await self._connect(self.listen_dsn, autocommit=True)
                await conn.execute("LISTEN pgattest_submissions")
                delay = 0.2
                self.wake.set()  # whatever was notified while we were away
                async for _ in conn.notifies():
                    self.wake.set()
            except psycopg.Error as exc:
                if self.stopping:
                    break
                event(logging.WARNING, "listen connection lost; reconnecting", error=str(exc)[:200],
                      retry_in=round(delay, 2))
                self.stats["reconnects"] += 1
                self.metrics.reconnects.labels("listen").inc()
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, 10.0)
            finally:
                if conn is not None:
                    try:
                        await conn.close()
                    except psycopg.Error:
                        pass

    # --- claiming and sending --------------------------------------------------------------
    def claim_plan(self, threshold):
        """(items to claim, logs to skip) of the next claim; 0 items: no room to claim now.

        Room is per log: at most --concurrency items held per log. A log the worker has
        paused (429/503) is skipped, and so is a log with less room than threshold (one
        claim would overfill it): otherwise the claim, which takes due items of any log,
        fills the worker's room with items waiting out a pause while the other logs'
        items are barely claimed. A claim asks for no more than the least room of the logs
        it does not skip (a log never seen has room for --concurrency). While a log is
        paused the claim goes ahead even when every other log is full: it is how the items
        of logs not seen yet are found."""
        now = time.monotonic()
        held = Counter(item["log_id"] for item in self.held.values())
        skip, rooms, paused = [], [], False
        for log_id, client in self.logs.items():
            room = self.concurrency - held[log_id]
            if client.paused_until > now:
                skip.append(log_id)
                paused = True
            elif room < threshold:
                skip.append(log_id)
            else:
                rooms.append(room)
        if self.logs and not rooms and not paused:
            return 0, skip
        return min([self.batch, self.concurrency] + rooms), skip

    def _may_claim(self, short, skip, woken, now):
        """Whether to claim now, after the last claim found fewer items than it asked for
        (short: the logs it skipped and when; None: it did not). Again at once when a log it
        skipped may be claimed now; on a notification, at once when nothing is skipped, but
        at most once a second while logs are: such a claim walks past the skipped logs' due
        items (no index holds log_id), so a backlog of a paused log must not be walked for
        every notification; and at every poll."""
        if short is None:
            return True
        skipped, at = short
        if skipped - set(skip) or now - at >= self.poll_seconds:
            return True
        return woken and (not skip or now - at >= min(SKIPPING_CLAIM_GAP, self.poll_seconds))

    def _claim_wait(self, want, short, skip, woken, now):
        """Seconds to wait, at most, for a reason to claim: a poll, the end of a pause (the
        log is claimable again), or the gap between claims that skip logs. Without room
        (want 0) only room is a reason, and the worker is told of it (space)."""
        if not want:
            return self.poll_seconds
        waits = [self.poll_seconds]
        if short is not None:
            waits.append(short[1] + self.poll_seconds - now)
            if woken and skip:
                waits.append(short[1] + min(SKIPPING_CLAIM_GAP, self.poll_seconds) - now)
        waits += [c.paused_until - now for c in self.logs.values() if c.paused_until > now]
        return max(0.01, min(waits))

    async def claim(self, n, skip_logs=()):
        if skip_logs:
            rows = await self.db("SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval, %s::text[])",
                                 (self.worker_id, n, f"{self.lease} seconds", list(skip_logs)))
        else:  # the call of every version, against a database not yet migrated too
            rows = await self.db("SELECT * FROM attestor.claim_submissions(%s, %s, %s::interval)",
                                 (self.worker_id, n, f"{self.lease} seconds"))
        items = [Item(r) for r in rows]
        for item in items:
            self.held[item["claim_token"]] = item
            self._log(item.row)  # known at once: the next claim plans with its room and pause
            item.task = asyncio.get_running_loop().create_task(self.send(item))
        self.metrics.held.set(len(self.held))
        return len(items)

    def _log(self, row):
        client = self.logs.get(row["log_id"])
        if client is None:
            client = self.logs[row["log_id"]] = LogClient(row["log_id"], row["api_version"], row["base_url"],
                                                          self.concurrency, self.http_timeout, self.metrics)
        return client

    async def send(self, item):
        """Send one item to its log (retrying after 429/503 pauses), then queue it for completion."""
        try:
            await self._send(item)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a defect or the database refusing fail_submission: never hold the slot
            event(logging.ERROR, "item abandoned; its lease will expire", worker=self.worker_id,
                  submission_id=item["submission_id"], error=f"{type(exc).__name__}: {str(exc)[:300]}")
            self._release_slot(item)

    async def _send(self, item):
        client = self._log(item.row)
        attempt = 0
        while True:
            try:
                entry = await client.submit(item["envelope"], item["verifier_pem"], item)
                break
            except SubmitError as exc:
                if exc.status in (429, 503) and attempt < self.http_retries and not self.stopping:
                    attempt += 1
                    self.stats["retried"] += 1
                    self.metrics.retried.labels(item["log_id"]).inc()
                    continue  # the log client waits out the pause
                await self.fail(item, str(exc), exc.retryable)
                return
        if item.lost:
            return
        self.done.append((item, entry))
        self.answered.set()

    def _sending(self):
        return sum(1 for i in self.held.values() if i.task is not None and not i.task.done())

    # --- completing -----------------------------------------------------------------------
    async def complete_ready(self):
        """Complete what the logs answered, in batches of up to --batch."""
        while self.done:
            chunk, self.done = self.done[:self.batch], self.done[self.batch:]
            chunk = [(i, e) for i, e in chunk if not i.lost]
            if chunk:
                await self.complete_batch(chunk)

    async def completer(self):
        """Completes answers as they come: a full batch at once, otherwise after a short
        linger (answers to a burst of requests arrive together), so completions stay batched."""
        while not self.stopping:
            await self.answered.wait()
            self.answered.clear()
            # Linger while answers keep coming (a burst of answers takes the event loop a while
            # to read), until a batch is full, nothing is at the log, 20 ms pass without an
            # answer, or 250 ms in all.
            started = time.monotonic()
            seen, last = len(self.done), started
            while len(self.done) < self.batch and self._sending():
                await asyncio.sleep(0.005)
                now = time.monotonic()
                if len(self.done) != seen:
                    seen, last = len(self.done), now
                if now - last > 0.02 or now - started > 0.25:
                    break
            try:
                await self.complete_ready()
            except Exception as exc:  # keep completing later answers; these items' leases expire
                event(logging.ERROR, "completion failed; items left to their leases", worker=self.worker_id,
                      error=f"{type(exc).__name__}: {str(exc)[:300]}")
                for item in [i for i in self.held.values() if i.task is not None and i.task.done()]:
                    self._release_slot(item)

    async def complete_batch(self, chunk):
        started = time.monotonic()
        if len(chunk) > 1:
            try:
                done = await self.db(
                    "SELECT submission_id, rekor_entry_id FROM attestor.complete_submissions(%s::jsonb)",
                    (json.dumps([{"submission_id": str(i["submission_id"]), "claim_token": str(i["claim_token"]),
                                  "tlog_entry": e} for i, e in chunk]),))
                for item, _ in chunk:
                    self._release_slot(item)
                    self.metrics.submitted.labels(item["log_id"]).inc()
                self.stats["submitted"] += len(done)
                event(logging.INFO, "batch completed", worker=self.worker_id, items=len(done),
                      ms=round(1000 * (time.monotonic() - started), 1), held=len(self.held))
                return
            except psycopg.Error as exc:
                event(logging.WARNING, "batch rejected; completing one by one", worker=self.worker_id,
                      items=len(chunk), sqlstate=exc.sqlstate, error=(exc.diag.message_primary or str(exc))[:300])
        outcomes = {}
        for item, entry in chunk:
            outcome = await self.complete_one(item, entry)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        event(logging.INFO, "batch completed", worker=self.worker_id, items=len(chunk), one_by_one=True,
              outcomes=outcomes, ms=round(1000 * (time.monotonic() - started), 1), held=len(self.held))

    async def complete_one(self, item, entry):
        try:
            await self.db("SELECT attestor.complete_submission(%s, %s, %s::jsonb)",
                          (item["submission_id"], item["claim_token"], json.dumps(entry)))
        except psycopg.Error as exc:
            if exc.sqlstate == errors.OBJECT_NOT_IN_STATE:
                return self._stale(item, exc.diag.message_primary)
            if exc.sqlstate == errors.SPLIT_VIEW:
                event(logging.ERROR, "SPLIT VIEW", submission_id=item["submission_id"], log_id=item["log_id"],
                      error=exc.diag.message_primary)
                await self._record_split_view(item["log_id"], entry)
            return await self.fail(item, f"SQLSTATE {exc.sqlstate}: {exc.diag.message_primary}",
                                   exc.sqlstate not in NOT_RETRYABLE_SQLSTATES)
        self._release_slot(item)
        self.stats["submitted"] += 1
        self.metrics.submitted.labels(item["log_id"]).inc()
        return "submitted"

    async def _record_split_view(self, log_id, entry):
        """Keep the evidence the rolled-back completion carried, in a transaction of its own."""
        if "inclusionProof" in entry:  # Rekor v2 / bundle form
            note = (entry["inclusionProof"].get("checkpoint") or {}).get("envelope")
        else:  # Rekor v1 REST form {uuid: {...}}
            note = next(iter(entry.values()), {}).get("verification", {}).get("inclusionProof", {}).get("checkpoint")
        if note:
            try:
                await self.db("SELECT attestor.record_split_view(%s, %s)", (log_id, note), fetch=False)
            except psycopg.Error as exc:
                event(logging.ERROR, "could not record split-view evidence", error=exc.diag.message_primary)

    async def fail(self, item, error, retryable):
        try:
            rows = await self.db("SELECT attestor.fail_submission(%s, %s, %s, %s) AS state",
                                 (item["submission_id"], item["claim_token"], error[:4000], retryable))
        except psycopg.Error as exc:
            if exc.sqlstate == errors.OBJECT_NOT_IN_STATE:
                return self._stale(item, exc.diag.message_primary)
            raise
        state = rows[0]["state"]
        self._release_slot(item)
        self.stats["failed"] += 1
        self.metrics.failed.labels(item["log_id"], state).inc()
        event(logging.WARNING, "submission failed", worker=self.worker_id, submission_id=item["submission_id"],
              tenant_id=item["tenant_id"], log_id=item["log_id"], attempt=item["attempts"], state=state,
              error=error[:300])
        return state

    def _stale(self, item, why):
        self._release_slot(item)
        self.stats["stale"] += 1
        self.metrics.stale.inc()
        event(logging.WARNING, "lease lost; item dropped", worker=self.worker_id, submission_id=item["submission_id"],
              error=why)
        return "stale"

    def _release_slot(self, item):
        self.held.pop(item["claim_token"], None)
        self.metrics.held.set(len(self.held))
        self.space.set()

    # --- leases -----------------------------------------------------------------------------
    async def renew(self):
        """Every third of the lease, renew the leases of the items held; drop the lost ones."""
        while not self.stopping:
            await asyncio.sleep(self.lease / 3)
            tokens = list(self.held)
            if not tokens:
                continue
            try:
                rows = await self.db("SELECT claim_token FROM attestor.renew_leases(%s, %s::uuid[], %s::interval)",
                                     (self.worker_id, tokens, f"{self.lease} seconds"))
            except psycopg.Error as exc:
                event(logging.ERROR, "lease renewal failed", error=str(exc)[:200])
                continue
            kept = {r["claim_token"] for r in rows}
            for token in tokens:
                item = self.held.get(token)
                if token not in kept and item is not None:
                    item.lost = True
                    if item.task is not None:
                        item.task.cancel()
                    self._stale(item, "the lease could not be renewed")

    async def release(self, items):
        """Hand claims back (SIGTERM): due at once for another worker, the attempt not counted."""
        tokens = [i["claim_token"] for i in items if not i.lost]
        if not tokens:
            return 0
        rows = await self.db("SELECT submission_id FROM attestor.release_submissions(%s, %s::uuid[])",
                             (self.worker_id, tokens))
        for item in items:
            self._release_slot(item)
        self.stats["released"] += len(rows)
        self.metrics.released.inc(len(rows))
        event(logging.INFO, "claims handed back", worker=self.worker_id, items=len(rows))
        return len(rows)

    # --- maintenance ---------------------------------------------------------------------
    async def maintain(self):
        """Run each maintenance job once (unless another worker runs it now); a job's
        failure is logged, not raised. {job: rows changed, or None when skipped}."""
        done = {}
        # A connection of its own, for the round only: a refresh of large views takes
        # seconds, and the queue's connection must not wait behind it.
        conn = await self._connect(self.dsn, autocommit=False)
        try:
            for name, statement in MAINTENANCE:
                try:
                    done[name] = (await self._transaction(conn, statement))[0]["changed"]
                except psycopg.Error as exc:
                    event(logging.ERROR, "maintenance failed", job=name, sqlstate=exc.sqlstate, error=str(exc)[:300])
                    self.metrics.maintenance.labels(name, "failed").inc()
                    if conn.closed:
                        break
                    continue
                self.metrics.maintenance.labels(name, "skipped" if done[name] is None else "ran").inc()
        finally:
            await conn.close()
        event(logging.INFO, "maintenance", worker=self.worker_id, **{k.replace(" ", "_"): v for k, v in done.items()})
        return done

    async def maintenance(self):
        """The maintenance jobs at start and then every --maintenance-seconds."""
        while self.maintenance_seconds > 0 and not self.stopping:
            await self.maintain()
            await asyncio.sleep(self.maintenance_seconds)

    # --- the loops --------------------------------------------------------------------------
    def _setup(self):
        self.db_lock = asyncio.Lock()
        self.wake = asyncio.Event()
        self.space = asyncio.Event()
        self.answered = asyncio.Event()

    async def _close(self):
        for client in self.logs.values():
            await client.close()
        self.logs = {}  # the clients belong to this event loop
        if self.conn is not None and not self.conn.closed:
            await self.conn.close()
        self.conn = None

    async def run_once_async(self):
        """Claim one batch, send it, complete it; how many items were claimed."""
        self._setup()
        try:
            n = await self.claim(self.batch)
            await asyncio.gather(*(i.task for i in list(self.held.values())), return_exceptions=True)
            await self.complete_ready()
            return n
        finally:
            await self._close()

    def run_once(self):
        return asyncio.run(self.run_once_async())

    async def run_async(self, stop):
        """Work until stop (an asyncio.Event) is set; then finish or hand back what is held."""
        self._setup()
        loop = asyncio.get_running_loop()
        helpers = [loop.create_task(self.listen()), loop.create_task(self.renew()), loop.create_task(self.completer()),
                   loop.create_task(self.maintenance())]
        stopper = loop.create_task(stop.wait())
        threshold = max(1, min(self.batch, self.concurrency) // 2)
        short = None   # (logs skipped, when) of the last claim that found fewer items than it asked for
        woken = False  # a notification came since the last claim
        try:
            while not stop.is_set():
                self.space.clear()
                want, skip = self.claim_plan(threshold)
                now = time.monotonic()
                if want and self._may_claim(short, skip, woken, now):
                    self.wake.clear()
                    woken = False
                    try:
                        claimed = await self.claim(want, skip)
                    except psycopg.Error as exc:  # not a lost connection (db() handles those)
                        event(logging.ERROR, "claim failed", worker=self.worker_id, sqlstate=exc.sqlstate,
                              error=str(exc)[:300])
                        await asyncio.wait([stopper], timeout=self.poll_seconds)
                        continue
                    if claimed >= want:
                        short = None
                        continue  # more may be due: claim again while there is room
                    short = (frozenset(skip), time.monotonic())
                    now = short[1]
                # Wait for a notification, room, the end of a pause or the poll, or a stop;
                # then plan again (room alone claims only what the last claim did not skip).
                waits = [loop.create_task(self.wake.wait()), loop.create_task(self.space.wait()), stopper]
                await asyncio.wait(waits, timeout=self._claim_wait(want, short, skip, woken, now),
                                   return_when=asyncio.FIRST_COMPLETED)
                for w in waits:
                    if w is not stopper:
                        w.cancel()
                if self.wake.is_set():
                    woken = True
                    self.wake.clear()  # recorded: a set event would end every wait until the claim
        finally:
            self.stopping = True
            await self._drain(helpers[2])
            for task in helpers + [stopper]:
                task.cancel()
            await asyncio.gather(*helpers, stopper, return_exceptions=True)
            await self._close()

    async def _drain(self, completer):
        """Stop: items not yet at the log go back at once; items at the log get
        --drain-seconds to finish; whatever is still held then goes back too."""
        self.answered.set()  # the completer finishes what it holds, then sees the stop
        await asyncio.gather(completer, return_exceptions=True)
        waiting = [i for i in self.held.values() if not i.started]
        for item in waiting:
            item.task.cancel()
        await asyncio.gather(*(i.task for i in waiting), return_exceptions=True)
        if waiting:
            await self.release(waiting)
        deadline = time.monotonic() + self.drain_seconds
        while self.held and time.monotonic() < deadline:
            pending = [i.task for i in self.held.values() if i.task is not None and not i.task.done()]
            if pending:
                await asyncio.wait(pending, timeout=max(0.0, deadline - time.monotonic()))
            await self.complete_ready()
            if not pending:
                break
        await self.complete_ready()
        rest = list(self.held.values())
        for item in rest:
            if item.task is not None:
                item.task.cancel()
        await asyncio.gather(*(i.task for i in rest if i.task is not None), return_exceptions=True)
        if rest:
            await self.release(rest)


def parser():
    from ops.devlog import parser as make_parser
    return make_parser(OPTIONS, "pgattest's transparency-log worker: drains attestor.rekor_submission_queue into Rekor.",
                       __doc__.split("\n\n", 2)[2])


def main(argv=None):
    args = parser().parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=args.log_level.upper(), handlers=[handler])
    if not args.dsn:
        print("rekor_worker: --dsn (or DATABASE_URL) is required", file=sys.stderr)
        return 2
    try:
        worker = Worker(args.dsn, args.worker_id, args.batch, args.lease, args.role, args.http_timeout,
                        args.poll_seconds, args.listen_dsn, args.concurrency, args.http_retries, args.drain_seconds,
                        maintenance_seconds=args.maintenance_seconds)
    except ValueError as exc:
        print(f"rekor_worker: refusing to start: {exc}", file=sys.stderr)
        return 2
    if args.metrics_port:
        worker.metrics.serve(args.metrics_port)
    if args.once:
        worker.run_once()
        return 0

    async def run():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        event(logging.INFO, "worker started", worker=worker.worker_id, batch=worker.batch,
              concurrency=worker.concurrency, lease_s=worker.lease)
        await worker.run_async(stop)
        event(logging.INFO, "worker stopped", worker=worker.worker_id, **worker.stats)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
