"""Shared pieces of the store-and-queue tests: signers, envelopes, role-scoped calls, log submissions."""

import base64
import hashlib
import json
import secrets

import psycopg
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from psycopg.rows import dict_row

from pgattest.dsse import pae
from worker import rekor_worker

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
    """Run one statement in its own transaction as role (and tenant); return its result.

    Rows are dicts keyed by column name: fetch="all" gives the list of them, fetch="one"
    the first row, or its only value when it has a single column (None when no row)."""
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        conn.execute(f"SET ROLE {role}")
        if tenant:
            conn.execute("SELECT core.set_tenant(%s)", (tenant,))
        cur = conn.execute(sql, params)
        names = [column.name for column in cur.description or ()]
        assert len(set(names)) == len(names), f"name every column (AS ...): {names} has duplicates"
        if fetch == "all":
            return cur.fetchall()
        if fetch == "one":
            row = cur.fetchone()
            return next(iter(row.values())) if row is not None and len(row) == 1 else row
        return None


def register_log(dsn, mock, default=False, valid_from="-infinity", valid_until=None):
    """Register (or re-register, changing its validity window) the mock log; its log id."""
    return call(dsn, "pgattest_admin",
                """SELECT attestor.register_transparency_log(%s, %s, %s, key_name => %s, tree_id => %s,
                                                             global_index_offset => %s, valid_from => %s,
                                                             valid_until => %s, is_default => %s)""",
                ("rekor_" + mock.api_version, mock.base_url, mock.public_key_pem, mock.key_name,
                 mock.tree_id, mock.global_index_offset, valid_from, valid_until, default))


def new_tenant(dsn, signer, label="q", predicates=None):
    tenant = f"{label}-{secrets.token_hex(4)}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT core.register_tenant(%s, %s)", (tenant, tenant))
    call(dsn, "pgattest_admin", "SELECT proofchain.add_trust_anchor('ci signer', %s, %s)",
         (signer.pem, predicates), tenant=tenant)
    return tenant


def submit_to_log(mock, envelope, verifier_pem):
    """Submit as the worker does (worker.rekor_worker.submit_to_log: one copy of that logic)."""
    return rekor_worker.submit_to_log("rekor_" + mock.api_version, mock.base_url, envelope, verifier_pem)
