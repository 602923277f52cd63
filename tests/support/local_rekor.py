"""A local transparency log for tests: Rekor v1 or v2 HTTP API over a real RFC 6962 tree.

No network here, so the tests run their own log: entries are appended to an in-memory
Merkle tree (leaf = SHA-256(0x00 || canonicalized body)), checkpoints are C2SP signed
notes signed with a key generated per log (ECDSA P-256 for Rekor v1, Ed25519 for v2),
and responses have the shapes the real logs return (see ../shared/vectors/sigstore).

    with LocalRekor("v1") as log:          # or "v2"
        log.base_url, log.public_key_pem, log.key_name, log.tree_id, log.log_id
        log.checkpoint(), log.consistency_proof(old, new), log.root_at(size)
        log.sign_checkpoint(size, root)    # a validly signed note for any root (split views)
        log.fail_next(n, status=503)       # fault injection for retry tests
"""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils

from pgattest import canonical
from pgattest.dsse import pae


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


class LocalRekor:
    def __init__(self, api_version="v1"):
        assert api_version in ("v1", "v2")
        self.api_version = api_version
        self.tree = Tree()
        self.lock = threading.Lock()
        self.bodies = {}          # leaf hash -> (index, body, integrated time)
        self.notes = {}           # size -> first checkpoint signed at that size
        self.sizes = {}           # leaf hash hex -> tree size right after its append
        self.faults = []
        self.lies = 0
        self.requests = 0
        if api_version == "v1":
            self.key = ec.generate_private_key(ec.SECP256R1())
            self.host = "rekor.local"
            self.tree_id = 1193050959916656506
            self.origin = f"{self.host} - {self.tree_id}"
            self.key_name = self.host
            self.global_index_offset = 1000
            der = self._der()
            self.log_id = hashlib.sha256(der).hexdigest()
            self.key_id = hashlib.sha256(der).digest()[:4]
        else:
            self.key = ed25519.Ed25519PrivateKey.generate()
            self.host = "log2025.rekor.local"
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

    # --- lifecycle ---------------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        log = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                log._handle(self, "GET")

            def do_POST(self):
                log._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.log = self
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.base_url

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def fail_next(self, n, status=503):
        self.faults.extend([status] * n)

    def lie_next(self, n):
        """The next n successful responses carry a corrupted body (a misbehaving log)."""
        self.lies += n

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
        return {"logIndex": str(index), "logId": {"keyId": _b64(bytes.fromhex(self.log_id))},
                "kindVersion": {"kind": "hashedrekord", "version": "0.0.2"},
                "inclusionProof": {"logIndex": str(index), "rootHash": _b64(root), "treeSize": str(size),
                                   "hashes": [_b64(h) for h in proof], "checkpoint": {"envelope": note}},
                "canonicalizedBody": _b64(body)}

    def _handle(self, req, method):
        self.requests += 1
        if self.faults:
            status = self.faults.pop(0)
            return self._reply(req, status, {"code": status, "message": "injected fault"})
        try:
            length = int(req.headers.get("Content-Length") or 0)
            doc = json.loads(req.rfile.read(length)) if length else None
            path = req.path.split("?")[0]
            if self.api_version == "v1" and method == "POST" and path == "/api/v1/log/entries":
                return self._post_v1(req, doc)
            if self.api_version == "v1" and method == "GET" and path.startswith("/api/v1/log/entries/"):
                leaf = bytes.fromhex(path.rsplit("/", 1)[1][-64:])
                if leaf not in self.bodies:
                    return self._reply(req, 404, {"code": 404, "message": "entry not found"})
                return self._reply(req, 200, self._v1_entry(leaf))
            if self.api_version == "v2" and method == "POST" and path == "/api/v2/log/entries":
                return self._post_v2(req, doc)
            return self._reply(req, 404, {"code": 404, "message": "not found"})
        except (ValueError, KeyError, TypeError, InvalidSignature) as exc:
            return self._reply(req, 400, {"code": 400, "message": f"bad request: {type(exc).__name__}"})

    def _post_v1(self, req, doc):
        content = doc["spec"]["proposedContent"]
        envelope_text = content["envelope"]
        verifier_b64 = content["verifiers"][0]
        envelope = json.loads(envelope_text)
        payload = base64.b64decode(envelope["payload"])
        key = serialization.load_pem_public_key(base64.b64decode(verifier_b64))
        message = pae(envelope["payloadType"], payload)
        sigs = []
        for s in envelope["signatures"]:
            key.verify(base64.b64decode(s["sig"]), message, ec.ECDSA(hashes.SHA256()))
            sigs.append({"signature": s["sig"], "verifier": verifier_b64})
        body = _canonical({"apiVersion": "0.0.1", "kind": "dsse", "spec": {
            "envelopeHash": {"algorithm": "sha256", "value": hashlib.sha256(envelope_text.encode()).hexdigest()},
            "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(payload).hexdigest()},
            "signatures": sigs}})
        leaf, new = self._append(body)
        uuid = f"{self.tree_id:016x}{leaf.hex()}"
        if not new:
            return self._reply(req, 409, {"code": 409, "message":
                               f"an equivalent entry already exists in the transparency log with UUID {uuid}"},
                               {"Location": f"/api/v1/log/entries/{uuid}"})
        return self._reply(req, 201, self._v1_entry(leaf), {"Location": f"/api/v1/log/entries/{uuid}"})

    def _post_v2(self, req, doc):
        request = doc["hashedRekordRequestV002"]
        digest = base64.b64decode(request["digest"])
        sig = base64.b64decode(request["signature"]["content"])
        verifier = request["signature"]["verifier"]
        key = serialization.load_der_public_key(base64.b64decode(verifier["publicKey"]["rawBytes"]))
        key.verify(sig, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        body = _canonical({"apiVersion": "0.0.2", "kind": "hashedrekord", "spec": {"hashedRekordV002": {
            "data": {"algorithm": "SHA2_256", "digest": request["digest"]},
            "signature": {"content": request["signature"]["content"],
                          "verifier": {"keyDetails": verifier["keyDetails"],
                                       "publicKey": {"rawBytes": verifier["publicKey"]["rawBytes"]}}}}}})
        leaf, new = self._append(body)
        return self._reply(req, 201 if new else 200, self._v2_entry(leaf))

    @staticmethod
    def _reply(req, status, doc, headers=None):
        log = req.server.log
        if status in (200, 201) and log.lies and isinstance(doc, dict):
            log.lies -= 1
            doc = json.loads(json.dumps(doc))
            log.corrupt_body(doc)
        data = json.dumps(doc).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            req.send_header(k, v)
        req.end_headers()
        req.wfile.write(data)
