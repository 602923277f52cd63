"""Shared pieces of the store-and-queue tests: signers, envelopes, role-scoped calls, log submissions."""

import base64
import hashlib
import json
import secrets
import sys
import urllib.request
from pathlib import Path

import psycopg
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plpython"))
from pgattest.dsse import pae  # noqa: E402

PREDICATE = "https://slsa.dev/provenance/v1"


class Signer:
    """An ECDSA P-256 signer of DSSE envelopes carrying in-toto statements."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def envelope(self, n=None, predicate=PREDICATE, payload_type="application/vnd.in-toto+json", payload=None):
        n = secrets.token_hex(8) if n is None else n
        if payload is None:
            payload = json.dumps({
                "_type": "https://in-toto.io/Statement/v1",
                "subject": [{"name": f"artifact-{n}", "digest": {"sha256": hashlib.sha256(str(n).encode()).hexdigest()}}],
                "predicateType": predicate, "predicate": {"n": str(n)},
            }).encode()
        sig = self.key.sign(pae(payload_type, payload), ec.ECDSA(hashes.SHA256()))
        return {"payloadType": payload_type, "payload": base64.b64encode(payload).decode(),
                "signatures": [{"keyid": "", "sig": base64.b64encode(sig).decode()}]}


def call(dsn, role, sql, params=(), tenant=None, fetch="one"):
    """Run one statement in its own transaction as role (and tenant); return its result."""
    with psycopg.connect(dsn) as conn:
        conn.execute(f"SET ROLE {role}")
        if tenant:
            conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
        cur = conn.execute(sql, params)
        if fetch == "all":
            return cur.fetchall()
        if fetch == "one":
            row = cur.fetchone()
            return row[0] if row is not None and len(row) == 1 else row
        return None


def register_log(dsn, mock, default=False):
    return call(dsn, "pgattest_admin",
                """SELECT attestor.register_transparency_log(%s, %s, %s, key_name => %s, tree_id => %s,
                                                             global_index_offset => %s, is_default => %s)""",
                ("rekor_" + mock.api_version, mock.base_url, mock.public_key_pem, mock.key_name,
                 mock.tree_id, mock.global_index_offset, default))


def new_tenant(dsn, signer, label="q", predicates=None):
    tenant = f"{label}-{secrets.token_hex(4)}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT core.register_tenant(%s, %s)", (tenant, tenant))
    call(dsn, "pgattest_admin", "SELECT proofchain.add_trust_anchor('ci signer', %s, %s)",
         (signer.pem, predicates), tenant=tenant)
    return tenant


def submit_to_log(mock, envelope, verifier_pem):
    """What the worker sends: Rekor v1 dsse, or Rekor v2 hashedrekord over the PAE digest."""
    if mock.api_version == "v1":
        body = {"apiVersion": "0.0.1", "kind": "dsse", "spec": {"proposedContent": {
            "envelope": json.dumps(envelope, separators=(",", ":"), sort_keys=True),
            "verifiers": [base64.b64encode(verifier_pem.encode()).decode()]}}}
        url = mock.base_url + "/api/v1/log/entries"
    else:
        payload = base64.b64decode(envelope["payload"])
        digest = hashlib.sha256(pae(envelope["payloadType"], payload)).digest()
        key = serialization.load_pem_public_key(verifier_pem.encode())
        der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        body = {"hashedRekordRequestV002": {"digest": base64.b64encode(digest).decode(), "signature": {
            "content": envelope["signatures"][0]["sig"],
            "verifier": {"publicKey": {"rawBytes": base64.b64encode(der).decode()},
                         "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}}}
        url = mock.base_url + "/api/v2/log/entries"
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())
