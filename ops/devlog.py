"""pgattest's development transparency log: a Rekor v1 or v2 HTTP API over a real RFC 6962 tree.

    ./pgattest devlog --api v2 --port 8080 --latency-ms 300
    python -m ops.devlog --help                  (every option, its default and its variable)

Entries are appended to an in-memory Merkle tree (leaf = SHA-256(0x00 || canonicalized
body)); checkpoints are C2SP signed notes signed with the log's key (ECDSA P-256 for Rekor
v1, Ed25519 for v2; generated, or kept in --key-file); responses have the shapes the real
logs return (see ../shared/vectors/sigstore). It accepts what Sigstore clients send:
  v1  POST /api/v1/log/entries, kind dsse 0.0.1 (409 with a Location for an entry it has),
      GET /api/v1/log/entries/<uuid>;
  v2  POST /api/v2/log/entries, dsseRequestV002 (rekor-tiles' dsse entry, every key type:
      ECDSA P-256/P-384, Ed25519, RSA) or hashedRekordRequestV002 (ECDSA keys).
Signatures are verified with every key type the database accepts. On start it prints what
an admin needs to register it (URL, key, key name, tree id, index offset, a trusted root
and the SQL call), then serves until SIGTERM or SIGINT. GET /devlog/stats gives its
counters (requests, in flight now and at most, tree size).

Faults for tests and benchmarks: --latency-ms (and --jitter-ms) delays every answer, and
an entry is answered with its proof against the tree as it is once the delay has passed,
as a log integrating batches does; --error-rate answers a share of requests with
--error-status and a Retry-After of --retry-after seconds; --lie-rate corrupts a share of
successful answers (a misbehaving log: the database must never store one), each in one of
the --lie-kinds: `body` (a byte of the entry's body flipped), `proof` (a byte of an
inclusion-proof hash, or of the root when the proof is empty), `checkpoint` (a byte of the
checkpoint's signature). --seed makes the faults repeatable. GET /devlog/stats counts
what was injected (injected_errors, lies by kind); GET /devlog/root/<size> gives the
honest root at a size, so a test can tell a stored lie from the truth.

Tests use it in process (the server runs on its own thread):

    with LocalRekor("v1") as log:          # or "v2"
        log.base_url, log.public_key_pem, log.key_name, log.tree_id, log.log_id
        log.checkpoint(), log.consistency_proof(old, new), log.root_at(size)
        log.sign_checkpoint(size, root)    # a validly signed note for any root (split views)
        log.fail_next(n, status=503, retry_after=None)
        log.lie_next(n); log.forge_next(n); log.latency = 0.2; log.max_in_flight; log.request_log
        log.lie_kinds = ("body", "proof", "checkpoint"); log.injected_errors; log.lies_told
"""

import argparse
import asyncio
import base64
import hashlib
import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "plpython") not in sys.path:
    sys.path.insert(0, str(ROOT / "plpython"))

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils  # noqa: E402

from pgattest import canonical, dsse, keys, rekor_dsse  # noqa: E402
from pgattest.errors import InputError  # noqa: E402

LIE_KINDS = ("body", "proof", "checkpoint")
REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 409: "Conflict",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


def _b64(data):
    return base64.b64encode(data).decode()


def _canonical(doc):
    """RFC 8785 canonical JSON of doc, as Rekor canonicalizes bodies (the library's JCS)."""
    return canonical.canonicalize_bytes(json.dumps(doc))


def _node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tree:
    """RFC 9162 tree with the complete subtrees kept per level, so any root or proof is O(log^2 n)."""

    def __init__(self):
        self.levels = [[]]

    @property
    def size(self):
        return len(self.levels[0])

    def append(self, leaf):
        self.levels[0].append(leaf)
        k = 0
        while len(self.levels[k]) % 2 == 0:
            if len(self.levels) == k + 1:
                self.levels.append([])
            self.levels[k + 1].append(_node(self.levels[k][-2], self.levels[k][-1]))
            k += 1
        return self.size - 1

    def mth(self, a, b):
        n = b - a
        if n & (n - 1) == 0 and a % n == 0:
            return self.levels[n.bit_length() - 1][a // n]
        k = 1 << ((n - 1).bit_length() - 1)
        return _node(self.mth(a, a + k), self.mth(a + k, b))

    def path(self, m, a, b):
        """RFC 9162 2.1.3.1 PATH(m, D[a:b])."""
        if b - a == 1:
            return []
        k = 1 << ((b - a - 1).bit_length() - 1)
        if m < k:
            return self.path(m, a, a + k) + [self.mth(a + k, b)]
        return self.path(m - k, a + k, b) + [self.mth(a, a + k)]

    def subproof(self, m, a, b, whole):
        """RFC 9162 2.1.4.1 SUBPROOF(m, D[a:b], b)."""
        n = b - a
        if m == n:
            return [] if whole else [self.mth(a, b)]
        k = 1 << ((n - 1).bit_length() - 1)
        if m <= k:
            return self.subproof(m, a, a + k, whole) + [self.mth(a + k, b)]
        return self.subproof(m - k, a + k, b, False) + [self.mth(a, a + k)]


class BadRequest(Exception):
    pass


class LocalRekor:
    def __init__(self, api_version="v1", key=None, latency_ms=0, jitter_ms=0, error_rate=0.0, error_status=503,
                 retry_after=None, lie_rate=0.0, host_name=None, lie_kinds=("body",), seed=None):
        assert api_version in ("v1", "v2")
        self.api_version = api_version
        self.tree = Tree()
        self.lock = threading.Lock()
        self.bodies = {}          # leaf hash -> (index, body, integrated time)
        self.notes = {}           # size -> first checkpoint signed at that size
        self.sizes = {}           # leaf hash hex -> tree size right after its append
        self.faults = []          # (status, retry_after) answered next
        self.lies = 0
        self.forges = 0
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.request_log = []     # (monotonic time, method, path, status) of every request
        self.latency = latency_ms / 1000.0
        self.jitter = jitter_ms / 1000.0
        self.error_rate, self.error_status, self.retry_after = error_rate, error_status, retry_after
        self.lie_rate = lie_rate
        unknown = set(lie_kinds) - set(LIE_KINDS)
        if unknown or not lie_kinds:
            raise ValueError(f"lie kinds are {', '.join(LIE_KINDS)}; not {sorted(unknown)}")
        self.lie_kinds = tuple(lie_kinds)
        self.random = random.Random(seed)  # the faults' own generator: --seed repeats them
        self.injected_errors = 0
        self.lies_told = dict.fromkeys(LIE_KINDS, 0)
        if api_version == "v1":
            self.key = key or ec.generate_private_key(ec.SECP256R1())
            self.host = host_name or "rekor.local"
            self.tree_id = 1193050959916656506
            self.origin = f"{self.host} - {self.tree_id}"
            self.key_name = self.host
            self.global_index_offset = 1000
            der = self._der()
            self.log_id = hashlib.sha256(der).hexdigest()
            self.key_id = hashlib.sha256(der).digest()[:4]
        else:
            self.key = key or ed25519.Ed25519PrivateKey.generate()
            self.host = host_name or "log2025.rekor.local"
            self.tree_id = None
            self.origin = self.key_name = self.host
            self.global_index_offset = 0
            raw = self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            digest = hashlib.sha256(self.key_name.encode() + b"\n\x01" + raw).digest()
            self.log_id = digest.hex()
            self.key_id = digest[:4]
        self.public_key_pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        self.server = None
        self.loop = None
        self.thread = None

    # --- lifecycle ---------------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, host="127.0.0.1", port=0):
        """Serve on a thread of its own (in process, for tests); returns the base URL."""
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self.loop)
            self.server = self.loop.run_until_complete(self.serve(host, port))
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True, name="devlog")
        self.thread.start()
        ready.wait(10)
        return self.base_url

    async def serve(self, host="127.0.0.1", port=0):
        # A backlog for hundreds of concurrent submissions (several workers' connections).
        server = await asyncio.start_server(self._connection, host, port, backlog=1024)
        self.base_url = f"http://{host}:{server.sockets[0].getsockname()[1]}"
        return server

    def stop(self):
        if self.loop is not None:
            async def close():
                self.server.close()
                tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            self.loop.close()
            self.loop = self.server = None

    def fail_next(self, n, status=503, retry_after=None):
        """The next n requests are answered with status (and a Retry-After header of retry_after s)."""
        self.faults.extend([(status, retry_after)] * n)

    def lie_next(self, n):
        """The next n successful responses carry a corrupted body (a misbehaving log)."""
        self.lies += n

    def forge_next(self, n):
        """The next n dsse entries are recorded with the log's own key as their verifier: validly
        included and checkpointed, so only the check of the body against the envelope catches them."""
        self.forges += n

    def stats(self):
        return {"requests": self.requests, "in_flight": self.in_flight, "max_in_flight": self.max_in_flight,
                "size": self.size, "injected_errors": self.injected_errors, "lies": dict(self.lies_told)}

    # --- log state ---------------------------------------------------------------
    def _der(self):
        return self.key.public_key().public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)

    @property
    def size(self):
        return self.tree.size

    def root_at(self, size):
        return self.tree.mth(0, size)

    def sign_checkpoint(self, size, root):
        text = f"{self.origin}\n{size}\n{_b64(root)}\n"
        if self.api_version == "v1":
            sig = self.key.sign(text.encode(), ec.ECDSA(hashes.SHA256()))
        else:
            sig = self.key.sign(text.encode())
        return text + "\n" + f"\u2014 {self.key_name} {_b64(self.key_id + sig)}\n"

    def checkpoint(self):
        with self.lock:
            return self._checkpoint(self.size)

    def _checkpoint(self, size):
        if size not in self.notes:
            self.notes[size] = self.sign_checkpoint(size, self.root_at(size))
        return self.notes[size]

    def checkpoint_at(self, size):
        return self.notes[size]

    def size_at_submission(self, uuid):
        return self.sizes[uuid[-64:]]

    def consistency_proof(self, old, new):
        return self.tree.subproof(old, 0, new, True)

    def trusted_root(self):
        return {"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": [{
            "baseUrl": f"https://{self.host}", "hashAlgorithm": "SHA2_256",
            "publicKey": {"rawBytes": _b64(self._der()),
                          "keyDetails": "PKIX_ECDSA_P256_SHA_256" if self.api_version == "v1" else "PKIX_ED25519",
                          "validFor": {"start": "2020-01-01T00:00:00Z"}},
            "logId": {"keyId": _b64(bytes.fromhex(self.log_id))}}]}

    def registration(self, url=None):
        """What an admin needs to register the log, and the SQL call that does it."""
        url = url or self.base_url
        pem = self.public_key_pem
        sql = (f"SELECT attestor.register_transparency_log('rekor_{self.api_version}', '{url}', $pem${pem}$pem$, "
               f"key_name => '{self.key_name}', tree_id => {self.tree_id if self.tree_id is not None else 'NULL'}, "
               f"global_index_offset => {self.global_index_offset});")
        return {"api_version": f"rekor_{self.api_version}", "url": url, "public_key_pem": pem,
                "key_name": self.key_name, "tree_id": self.tree_id, "global_index_offset": self.global_index_offset,
                "log_id": self.log_id, "trusted_root": self.trusted_root(), "register_sql": sql}

    def corrupt_body(self, entry):
        """Flip one byte of an entry's body in place (either response shape)."""
        if "canonicalizedBody" in entry:
            body = bytearray(base64.b64decode(entry["canonicalizedBody"]))
            body[len(body) // 2] ^= 1
            entry["canonicalizedBody"] = _b64(bytes(body))
        else:
            inner = next(iter(entry.values()))
            body = bytearray(base64.b64decode(inner["body"]))
            body[len(body) // 2] ^= 1
            inner["body"] = _b64(bytes(body))

    @staticmethod
    def _flip(b64text=None, hex_text=None):
        """One byte flipped in the middle of a base64 or hex encoded value."""
        raw = bytearray(base64.b64decode(b64text) if b64text is not None else bytes.fromhex(hex_text))
        raw[len(raw) // 2] ^= 1
        return _b64(bytes(raw)) if b64text is not None else bytes(raw).hex()

    def corrupt_proof(self, entry):
        """Flip a byte of the first inclusion-proof hash (of the root when the proof is empty)."""
        if "inclusionProof" in entry:  # v2: base64 values
            proof = entry["inclusionProof"]
            if proof["hashes"]:
                proof["hashes"][0] = self._flip(b64text=proof["hashes"][0])
            else:
                proof["rootHash"] = self._flip(b64text=proof["rootHash"])
        else:  # v1: hex values
            proof = next(iter(entry.values()))["verification"]["inclusionProof"]
            if proof["hashes"]:
                proof["hashes"][0] = self._flip(hex_text=proof["hashes"][0])
            else:
                proof["rootHash"] = self._flip(hex_text=proof["rootHash"])

    def corrupt_checkpoint(self, entry):
        """Flip a byte of the checkpoint's signature (after its 4-byte key hint): the note
        still parses and names the log, but its signature does not verify."""
        if "inclusionProof" in entry:
            holder, key = entry["inclusionProof"]["checkpoint"], "envelope"
        else:
            holder, key = next(iter(entry.values()))["verification"]["inclusionProof"], "checkpoint"
        text, _, sig_line = holder[key].rstrip("\n").rpartition("\n")
        dash, name, sig = sig_line.split(" ")
        raw = bytearray(base64.b64decode(sig))
        raw[4 + (len(raw) - 4) // 2] ^= 1
        holder[key] = f"{text}\n{dash} {name} {_b64(bytes(raw))}\n"

    def lie(self, doc):
        """A copy of a successful answer corrupted in one of the lie kinds; (doc, kind)."""
        kind = self.random.choice(self.lie_kinds)
        doc = json.loads(json.dumps(doc))
        {"body": self.corrupt_body, "proof": self.corrupt_proof, "checkpoint": self.corrupt_checkpoint}[kind](doc)
        self.lies_told[kind] += 1
        return doc, kind

    def entry_at_current_size(self, entry):
        """The entry again with its proof against the current tree, as a log that integrated a batch gives it."""
        if "canonicalizedBody" in entry:
            body = base64.b64decode(entry["canonicalizedBody"])
        else:
            body = base64.b64decode(next(iter(entry.values()))["body"])
        leaf = hashlib.sha256(b"\x00" + body).digest()
        return self._v1_entry(leaf, self.size) if self.api_version == "v1" else self._v2_entry(leaf, self.size)

    # --- appending and responses ---------------------------------------------------
    def _append(self, body):
        leaf = hashlib.sha256(b"\x00" + body).digest()
        with self.lock:
            if leaf in self.bodies:
                return leaf, False
            index = self.tree.append(leaf)
            self.bodies[leaf] = (index, body, int(time.time()))
            self.sizes[leaf.hex()] = self.size
            self._checkpoint(self.size)
            return leaf, True

    def _v1_entry(self, leaf, size=None):
        with self.lock:
            index, body, integrated = self.bodies[leaf]
            size = size or self.size
            proof = self.tree.path(index, 0, size)
            root, note = self.root_at(size), self._checkpoint(size)
        log_index = self.global_index_offset + index
        set_payload = _canonical({"body": _b64(body), "integratedTime": integrated, "logID": self.log_id,
                                  "logIndex": log_index})
        uuid = f"{self.tree_id:016x}{leaf.hex()}"
        return {uuid: {"body": _b64(body), "integratedTime": integrated, "logID": self.log_id, "logIndex": log_index,
                       "verification": {
                           "inclusionProof": {"checkpoint": note, "hashes": [h.hex() for h in proof],
                                              "logIndex": index, "rootHash": root.hex(), "treeSize": size},
                           "signedEntryTimestamp": _b64(self.key.sign(set_payload, ec.ECDSA(hashes.SHA256())))}}}

    def _v2_entry(self, leaf, size=None):
        with self.lock:
            index, body, _ = self.bodies[leaf]
            size = size or self.sizes[leaf.hex()]
            proof = self.tree.path(index, 0, size)
            root, note = self.root_at(size), self._checkpoint(size)
        kind = json.loads(body).get("kind", "hashedrekord")
        return {"logIndex": str(index), "logId": {"keyId": _b64(bytes.fromhex(self.log_id))},
                "kindVersion": {"kind": kind, "version": "0.0.2"},
                "inclusionProof": {"logIndex": str(index), "rootHash": _b64(root), "treeSize": str(size),
                                   "hashes": [_b64(h) for h in proof], "checkpoint": {"envelope": note}},
                "canonicalizedBody": _b64(body)}

    # --- HTTP ----------------------------------------------------------------------
    async def _connection(self, reader, writer):
        """One keep-alive HTTP/1.1 connection (Content-Length bodies, as clients send them)."""
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                method, target, _version = line.decode("latin-1").split()
                headers = {}
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = h.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                data = await reader.readexactly(length) if length else b""
                status, doc, extra = await self._request(method, target.split("?")[0], data)
                payload = json.dumps(doc).encode()
                head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", "Content-Type: application/json",
                        f"Content-Length: {len(payload)}"] + [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _request(self, method, path, data):
        self.requests += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        status = 500
        try:
            if path == "/devlog/stats":
                status = 200
                return 200, self.stats(), {}
            if path.startswith("/devlog/root/"):
                size = int(path.rsplit("/", 1)[1])
                status = 200 if 0 < size <= self.size else 404
                return status, ({"size": size, "root_hash": self.root_at(size).hex()} if status == 200
                                else {"code": 404, "message": f"no tree of size {size}"}), {}
            if self.faults:
                status, retry_after = self.faults.pop(0)
                return status, {"code": status, "message": "injected fault"}, \
                    ({"Retry-After": str(retry_after)} if retry_after is not None else {})
            if self.error_rate and self.random.random() < self.error_rate:
                self.injected_errors += 1
                status = self.error_status
                return status, {"code": status, "message": "injected fault"}, \
                    ({"Retry-After": str(self.retry_after)} if self.retry_after is not None else {})
            status, doc, extra, leaf = self._handle(method, path, data)
            delay = self.latency + (self.random.uniform(0, self.jitter) if self.jitter else 0)
            # Answered once integrated, as a log integrating batches does: after the delay
            # (or after the requests already received, with none), with the proof against
            # the tree as it is then, so entries integrated together share a checkpoint.
            await asyncio.sleep(delay)
            if leaf is not None and status in (200, 201):
                doc = self._v1_entry(leaf, self.size) if self.api_version == "v1" else self._v2_entry(leaf, self.size)
            if status in (200, 201) and leaf is not None and (
                    self.lies or (self.lie_rate and self.random.random() < self.lie_rate)):
                self.lies = max(self.lies - 1, 0)
                doc, _ = self.lie(doc)
            return status, doc, extra
        finally:
            self.in_flight -= 1
            self.request_log.append((time.monotonic(), method, path, status))

    def _handle(self, method, path, data):
        """(status, doc, headers, leaf or None) of one request to the log's API."""
        try:
            doc = json.loads(data) if data else None
            if self.api_version == "v1" and method == "POST" and path == "/api/v1/log/entries":
                return self._post_v1(doc)
            if self.api_version == "v1" and method == "GET" and path.startswith("/api/v1/log/entries/"):
                leaf = bytes.fromhex(path.rsplit("/", 1)[1][-64:])
                if leaf not in self.bodies:
                    return 404, {"code": 404, "message": "entry not found"}, {}, None
                return 200, self._v1_entry(leaf), {}, leaf
            if self.api_version == "v2" and method == "POST" and path == "/api/v2/log/entries":
                return self._post_v2(doc)
            return 404, {"code": 404, "message": "not found"}, {}, None
        except (ValueError, KeyError, TypeError, AttributeError, InvalidSignature, InputError, BadRequest) as exc:
            return 400, {"code": 400, "message": f"bad request: {type(exc).__name__}: {str(exc)[:200]}"}, {}, None

    def _post_v1(self, doc):
        content = doc["spec"]["proposedContent"]
        envelope_text = content["envelope"]
        verifier_b64 = content["verifiers"][0]
        envelope = json.loads(envelope_text)
        payload = base64.b64decode(envelope["payload"])
        key = serialization.load_pem_public_key(base64.b64decode(verifier_b64))
        message = dsse.pae(envelope["payloadType"], payload)
        verify = dsse._verifier(key)
        sigs = []
        for s in envelope["signatures"]:
            verify(message, base64.b64decode(s["sig"]))
            sigs.append({"signature": s["sig"], "verifier": verifier_b64})
        body = _canonical({"apiVersion": "0.0.1", "kind": "dsse", "spec": {
            "envelopeHash": {"algorithm": "sha256", "value": hashlib.sha256(envelope_text.encode()).hexdigest()},
            "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()},
            "signatures": sigs}})
        leaf, new = self._append(body)
        uuid = f"{self.tree_id:016x}{leaf.hex()}"
        location = {"Location": f"/api/v1/log/entries/{uuid}"}
        if not new:
            return 409, {"code": 409, "message":
                         f"an equivalent entry already exists in the transparency log with UUID {uuid}"}, location, None
        return 201, self._v1_entry(leaf), location, leaf

    def _post_v2(self, doc):
        if "dsseRequestV002" in doc:
            recorded = rekor_dsse.body(doc)
            if self.forges:
                self.forges -= 1
                forger = ec.generate_private_key(ec.SECP256R1())
                for s in recorded["spec"]["dsseV002"]["signatures"]:
                    s["verifier"] = {"keyDetails": "PKIX_ECDSA_P256_SHA_256", "publicKey": {"rawBytes": _b64(
                        forger.public_key().public_bytes(serialization.Encoding.DER,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))}}
            body = _canonical(recorded)
        elif "hashedRekordRequestV002" in doc:
            request = doc["hashedRekordRequestV002"]
            digest = base64.b64decode(request["digest"])
            sig = base64.b64decode(request["signature"]["content"])
            verifier = request["signature"]["verifier"]
            key = serialization.load_der_public_key(base64.b64decode(verifier["publicKey"]["rawBytes"]))
            if not isinstance(key, ec.EllipticCurvePublicKey):
                raise BadRequest("hashedrekord over a digest takes ECDSA keys here (send a dsse entry)")
            algorithm = hashes.SHA256() if len(digest) == 32 else hashes.SHA384()
            key.verify(sig, digest, ec.ECDSA(utils.Prehashed(algorithm)))
            body = _canonical({"apiVersion": "0.0.2", "kind": "hashedrekord", "spec": {"hashedRekordV002": {
                "data": {"algorithm": "SHA2_256" if len(digest) == 32 else "SHA2_384", "digest": request["digest"]},
                "signature": {"content": request["signature"]["content"],
                              "verifier": {"keyDetails": verifier["keyDetails"],
                                           "publicKey": {"rawBytes": verifier["publicKey"]["rawBytes"]}}}}}})
        else:
            raise BadRequest("neither dsseRequestV002 nor hashedRekordRequestV002")
        leaf, new = self._append(body)
        return (201 if new else 200), self._v2_entry(leaf), {}, leaf


# --- the program -------------------------------------------------------------------------

OPTIONS = [
    # (flag, env var, default, type, help)
    ("--api", "PGATTEST_DEVLOG_API", "v2", str, "Rekor API to serve: v1 or v2"),
    ("--host", "PGATTEST_DEVLOG_HOST", "127.0.0.1", str, "address to listen on (0.0.0.0 in a container)"),
    ("--port", "PGATTEST_DEVLOG_PORT", 8080, int, "port to listen on (0: any free port)"),
    ("--public-url", "PGATTEST_DEVLOG_URL", None, str,
     "URL workers reach the log at, printed for registration (default http://HOST:PORT)"),
    ("--key-name", "PGATTEST_DEVLOG_KEY_NAME", None, str,
     "checkpoint key name / origin host (default rekor.local for v1, log2025.rekor.local for v2)"),
    ("--key-file", "PGATTEST_DEVLOG_KEY_FILE", None, str,
     "PEM private key to sign with, created when missing (default: a new key each start)"),
    ("--latency-ms", "PGATTEST_DEVLOG_LATENCY_MS", 0.0, float, "delay before every answer, in ms"),
    ("--jitter-ms", "PGATTEST_DEVLOG_JITTER_MS", 0.0, float, "extra random delay up to this, in ms"),
    ("--error-rate", "PGATTEST_DEVLOG_ERROR_RATE", 0.0, float, "share of requests answered with --error-status"),
    ("--error-status", "PGATTEST_DEVLOG_ERROR_STATUS", 503, int, "status of injected errors (e.g. 429, 500, 503)"),
    ("--retry-after", "PGATTEST_DEVLOG_RETRY_AFTER", None, int, "Retry-After seconds sent with injected errors"),
    ("--lie-rate", "PGATTEST_DEVLOG_LIE_RATE", 0.0, float, "share of successful answers that lie"),
    ("--lie-kinds", "PGATTEST_DEVLOG_LIE_KINDS", "body", str,
     "comma-separated lies told at --lie-rate: body, proof, checkpoint"),
    ("--seed", "PGATTEST_DEVLOG_SEED", None, int, "seed of the injected errors, lies and jitter (default: random)"),
    ("--register-dsn", "PGATTEST_DEVLOG_REGISTER_DSN", None, str,
     "register the log in this database at start (a login granted pgattest_admin, or a superuser); "
     "retried for a minute while the database is not up or not deployed"),
    ("--default", "PGATTEST_DEVLOG_DEFAULT", False, bool,
     "with --register-dsn: make it the default log (submissions that name none go to it)"),
]


def parser(options, description, epilog=""):
    """An argparse parser whose help gives each option's default and environment variable;
    each default is read from its variable when that is set."""
    ap = argparse.ArgumentParser(description=description, epilog=epilog,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag, env, default, kind, text in options:
        where = f"; env {env}" if env else ""
        if kind is bool:
            value = os.environ.get(env, "").lower() in ("1", "true", "yes") if env else False
            ap.add_argument(flag, action="store_true", default=value, help=f"{text} [default: off{where}]")
            continue
        value = kind(os.environ[env]) if env and os.environ.get(env) not in (None, "") else default
        shown = "none" if default in (None, "") else default
        ap.add_argument(flag, type=kind, default=value, help=f"{text} [default: {shown}{where}]")
    return ap


def _load_key(path, api):
    if not path:
        return None
    p = Path(path)
    if p.exists():
        return serialization.load_pem_private_key(p.read_bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1()) if api == "v1" else ed25519.Ed25519PrivateKey.generate()
    p.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    os.chmod(p, 0o600)
    return key


def register(dsn, info, default=False, wait=60.0):
    """Register the log described by info (LocalRekor.registration) in dsn's database; its log id.

    Retries while the server is starting or the plan is not deployed yet (compose starts the
    log alongside the migration), so that one command brings an offline log into use."""
    import psycopg
    deadline = time.monotonic() + wait
    while True:
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
                return conn.execute(
                    """SELECT attestor.register_transparency_log(%s, %s, %s, key_name => %s, tree_id => %s,
                                                                 global_index_offset => %s, is_default => %s)""",
                    (info["api_version"], info["url"], info["public_key_pem"], info["key_name"], info["tree_id"],
                     info["global_index_offset"], default)).fetchone()[0]
        except (psycopg.OperationalError, psycopg.errors.UndefinedFunction, psycopg.errors.InvalidSchemaName) as exc:
            if time.monotonic() > deadline:
                raise
            print(f"# waiting for the database to register the log: {str(exc).strip()[:200]}", file=sys.stderr, flush=True)
            time.sleep(2)


def start_process(*args, cwd=ROOT, env=None):
    """Start `python -m ops.devlog ARGS` (what `./pgattest devlog ARGS` runs) in its own
    process; (Popen, the JSON of its first line). Tests and benchmarks start it this way."""
    import subprocess
    env = dict(os.environ if env is None else env, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "ops.devlog", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=10)
        raise RuntimeError(f"the development log exited ({proc.returncode}) before it listened")
    return proc, json.loads(line)


async def _main(args):
    log = LocalRekor(args.api, key=_load_key(args.key_file, args.api), latency_ms=args.latency_ms,
                     jitter_ms=args.jitter_ms, error_rate=args.error_rate, error_status=args.error_status,
                     retry_after=args.retry_after, lie_rate=args.lie_rate, host_name=args.key_name,
                     lie_kinds=tuple(k.strip() for k in args.lie_kinds.split(",") if k.strip()), seed=args.seed)
    server = await log.serve(args.host, args.port)
    port = server.sockets[0].getsockname()[1]
    info = log.registration(args.public_url or f"http://{args.host}:{port}")
    if args.register_dsn:
        # Registered before the first line is printed: whoever reads that line may submit at once.
        info["registered_log_id"] = await asyncio.get_running_loop().run_in_executor(
            None, register, args.register_dsn, info, args.default)
    print(json.dumps({"devlog": "listening", **{k: v for k, v in info.items() if k != "trusted_root"},
                      "latency_ms": args.latency_ms, "error_rate": args.error_rate, "lie_rate": args.lie_rate,
                      "lie_kinds": log.lie_kinds, "seed": args.seed}),
          flush=True)
    print(f"# Register it (as pgattest_admin):\n{info['register_sql']}\n"
          f"# Trusted root: {json.dumps(info['trusted_root'])}", file=sys.stderr, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    print(json.dumps({"devlog": "stopped", **log.stats()}), flush=True)


def main(argv=None):
    ap = parser(OPTIONS, "pgattest's development transparency log (Rekor v1/v2 over a real RFC 6962 tree).",
                "The first line on stdout is JSON: url, public_key_pem, key_name, tree_id, global_index_offset,\n"
                "log_id, register_sql. GET /devlog/stats returns its counters.")
    args = ap.parse_args(argv)
    if args.api not in ("v1", "v2"):
        ap.error("--api is v1 or v2")
    if not set(k.strip() for k in args.lie_kinds.split(",") if k.strip()) <= set(LIE_KINDS) or not args.lie_kinds.strip():
        ap.error(f"--lie-kinds takes {', '.join(LIE_KINDS)}")
    asyncio.run(_main(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
