"""Stored Rekor entries for the watchlist tests and bench, written directly as the
superuser (the watchlist reads stored entries; how they were verified is not its concern):
a log, a checkpoint, a tenant's trust anchor and envelope, then entries with given bodies."""

import base64
import hashlib
import json
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "sigstore"


def bundle_bodies():
    """{bundle file name: canonicalized body bytes} of every shared Sigstore bundle's log entry."""
    out = {}
    for path in sorted(VECTORS.glob("*sigstore*")):
        bundle = json.loads(path.read_text())
        for entry in bundle["verificationMaterial"].get("tlogEntries", []):
            out[path.name] = base64.b64decode(entry["canonicalizedBody"])
    return out


def key_pair():
    """(private key, PEM of the public key, fingerprint = hex SHA-256 of its DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pub = key.public_key()
    pem = pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return key, pem.decode(), hashlib.sha256(der).hexdigest()


def key_signed_body(pem):
    """A hashedrekord v0.0.1 body whose verifier is the PEM public key."""
    return json.dumps({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
        "data": {"hash": {"algorithm": "sha256", "value": secrets.token_hex(32)}},
        "signature": {"content": base64.b64encode(b"sig").decode(),
                      "publicKey": {"content": base64.b64encode(pem.encode()).decode()}}}},
        separators=(",", ":"), sort_keys=True).encode()


class Store:
    """Writes the rows a stored entry needs, once per tenant, then entries."""

    def __init__(self, conn):
        self.conn = conn
        self.log_id = secrets.token_hex(32)
        conn.execute("""INSERT INTO attestor.transparency_logs (log_id, api_version, base_url, key_name, public_key, key_details)
                        VALUES (%s, 'rekor_v1', 'https://rekor.example', 'rekor.example', '\\x00', 'PKIX_ECDSA_P256_SHA_256')""",
                     (self.log_id,))
        self.checkpoint = conn.execute(
            """INSERT INTO attestor.rekor_checkpoints (log_id, origin, tree_size, root_hash, note, signatures)
               VALUES (%s, 'rekor.example', 1000000000, %s, 'note', '[]') RETURNING id""",
            (self.log_id, secrets.token_bytes(32))).fetchone()[0]
        self.envelopes = {}
        self.index = 0

    def anchor(self, tenant, pem, fingerprint):
        return self.conn.execute(
            """INSERT INTO proofchain.trust_anchors (tenant_id, name, algorithm, key_id, public_key_pem)
               VALUES (%s, %s, 'ecdsa-p256', %s, %s) RETURNING id""",
            (tenant, f"anchor-{fingerprint[:8]}", fingerprint, pem)).fetchone()[0]

    def envelope(self, tenant):
        if tenant not in self.envelopes:
            _, pem, fingerprint = key_pair()
            anchor = self.anchor(tenant, pem, fingerprint)
            self.envelopes[tenant] = self.conn.execute(
                """INSERT INTO proofchain.dsse_envelopes (tenant_id, content_digest, envelope, payload_type, payload,
                                                         signatures, trust_anchor_id)
                   VALUES (%s, %s, '{}', 'application/vnd.in-toto+json', '\\x00', '[{"sig": "x"}]', %s) RETURNING id""",
                (tenant, "sha256:" + secrets.token_hex(32), anchor)).fetchone()[0]
        return self.envelopes[tenant]

    def entries(self, tenant, bodies):
        """Stores one entry per body in ONE statement; returns their ids in order."""
        envelope = self.envelope(tenant)
        rows = []
        for body in bodies:
            self.index += 1
            leaf = hashlib.sha256(b"\x00" + body + secrets.token_bytes(8)).digest()
            rows.append((body, leaf, leaf.hex(), self.index))
        return [r[0] for r in self.conn.execute(
            """INSERT INTO proofchain.rekor_entries (tenant_id, envelope_id, log_id, uuid, log_index, shard_log_index,
                   integrated_time, kind, kind_version, canonicalized_body, leaf_hash, root_hash, tree_size,
                   inclusion_hashes, checkpoint_id, verified_at)
               SELECT %(tenant)s, %(envelope)s, %(log)s, b.uuid, b.idx, b.idx, now(), 'hashedrekord', '0.0.1', b.body, b.leaf,
                      %(root)s, 1000000000, '{}', %(checkpoint)s, now()
                 FROM unnest(%(bodies)s::bytea[], %(leaves)s::bytea[], %(uuids)s::text[], %(idx)s::bigint[])
                      WITH ORDINALITY AS b(body, leaf, uuid, idx, ord)
                ORDER BY b.ord
               RETURNING id""",
            {"tenant": tenant, "envelope": envelope, "log": self.log_id, "root": secrets.token_bytes(32),
             "checkpoint": self.checkpoint, "bodies": [r[0] for r in rows], "leaves": [r[1] for r in rows],
             "uuids": [r[2] for r in rows], "idx": [r[3] for r in rows]}).fetchall()]
