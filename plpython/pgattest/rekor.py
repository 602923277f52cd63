"""Does a transparency-log entry record this DSSE envelope?

complete_submission stores an entry only when its (already verified) canonicalized
body records the submitted envelope, in one of the forms logs use for DSSE:
- Rekor v1 `dsse` 0.0.1: payloadHash = SHA-256(payload), signatures from the envelope;
- `hashedrekord` 0.0.1 (Rekor v1) and 0.0.2 (Rekor v2): the signed digest is
  SHA-256 of the DSSE PAE, and the signature is one of the envelope's.
"""

import base64
import hashlib
import json

from . import dsse


def _b64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return None


def body_mismatch(body, envelope_json):
    """None when body records the envelope; otherwise a sentence saying why not."""
    env = dsse.parse_envelope(envelope_json)
    sigs = {s["sig"] for s in env["signatures"]}
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "the entry body is not JSON"
    if not isinstance(doc, dict) or not isinstance(doc.get("spec"), dict):
        return "the entry body has no spec"
    kind, version, spec = doc.get("kind"), doc.get("apiVersion"), doc["spec"]
    pae_digest = hashlib.sha256(dsse.pae(env["payload_type"], env["payload"])).digest()

    if kind == "dsse" and version == "0.0.1":
        payload_hash = (spec.get("payloadHash") or {})
        if payload_hash.get("algorithm") != "sha256" or payload_hash.get("value") != hashlib.sha256(env["payload"]).hexdigest():
            return "payloadHash is not the SHA-256 of the envelope's payload"
        logged = [_b64(s.get("signature", "")) for s in spec.get("signatures") or [] if isinstance(s, dict)]
        if not logged or any(s is None or s not in sigs for s in logged):
            return "the logged signatures are not the envelope's"
        return None

    if kind == "hashedrekord" and version == "0.0.1":
        data = ((spec.get("data") or {}).get("hash") or {})
        if data.get("algorithm") != "sha256" or data.get("value") != pae_digest.hex():
            return "the logged hash is not the SHA-256 of the envelope's PAE"
        if _b64((spec.get("signature") or {}).get("content", "")) not in sigs:
            return "the logged signature is not the envelope's"
        return None

    if kind == "hashedrekord" and version == "0.0.2":
        inner = spec.get("hashedRekordV002") or {}
        data = inner.get("data") or {}
        if data.get("algorithm") != "SHA2_256" or _b64(data.get("digest", "")) != pae_digest:
            return "the logged digest is not the SHA-256 of the envelope's PAE"
        if _b64((inner.get("signature") or {}).get("content", "")) not in sigs:
            return "the logged signature is not the envelope's"
        return None

    return f"entries of kind {kind!r} version {version!r} cannot record a DSSE envelope here"
