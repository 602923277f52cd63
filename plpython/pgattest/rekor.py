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

from . import dsse, tlog
from .errors import InputError


def _b64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return None


def body_mismatch(body, envelope_json):
    """None when body records the envelope; otherwise a sentence saying why not."""
    return _mismatch(body, dsse.parse_envelope(envelope_json))


def _mismatch(body, env):
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


def verify_submissions(batch_json):
    """Verifies the log entries of a batch of submissions; raises on the first that fails.

    batch_json: {"roots": {log_id: trusted root}, "items": [{"id", "log_id", "entry",
    "envelope"}]}. Returns, in item order, {"id", "entry"} with verify_tlog_entry's
    normalized entry. One call per batch is what makes batch completion cheap: the
    roots and keys are decoded once, and a checkpoint the items share is verified once
    (note.verify_checkpoint_pem is memoised).
    """
    batch = json.loads(batch_json)
    logs = {log_id: tlog.logs_of_root(root) for log_id, root in batch["roots"].items()}
    out = []
    for item in batch["items"]:
        sid, log_id = item["id"], item["log_id"]
        try:
            result = tlog.verify_entry(item["entry"], logs[log_id])
        except InputError as exc:
            raise InputError(f"the log entry for submission {sid} is malformed: {exc.message}",
                             sqlstate=exc.sqlstate, hint=exc.hint) from None
        if not result["verified"]:
            raise InputError(f"the log entry for submission {sid} does not verify against log {log_id}: {result['error']}",
                             detail="checks: " + json.dumps(result["checks"], sort_keys=True),
                             hint="Pass the entry exactly as the registered log returned it.")
        entry = result["entry"]
        mismatch = _mismatch(base64.b64decode(entry["body_b64"]), dsse.parse_envelope(item["envelope"]))
        if mismatch is not None:
            raise InputError(f"the log entry for submission {sid} records another envelope: {mismatch}",
                             hint="The entry's body must record the submitted envelope.")
        out.append({"id": sid, "entry": entry})
    return json.dumps(out)
