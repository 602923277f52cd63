"""Verifies the log entries completing claimed submissions, and that each records its envelope.

The completion stores an entry only when its (already verified) canonicalized body
records the submitted envelope, in one of the forms logs use for DSSE:
- Rekor v1 `dsse` 0.0.1: payloadHash = SHA-256(payload), signatures from the envelope;
- `hashedrekord` 0.0.1 (Rekor v1) and 0.0.2 (Rekor v2): the signed digest is
  SHA-256 of the DSSE PAE, and the signature is one of the envelope's.
"""

import base64
import functools
import hashlib
import json
import time

from . import dsse, tlog
from .errors import INVALID_PARAMETER, NULL_NOT_ALLOWED, InputError


def _b64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return None


def _mismatch(body, env, doc=None):
    """None when body records the envelope env (parsed: payload_type, payload, signatures);
    otherwise a sentence saying why not. doc is the body already parsed (a dict), if it was."""
    sigs = {s["sig"] for s in env["signatures"]}
    if doc is None:
        try:
            doc = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
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

    if kind == "dsse" and version == "0.0.2":  # Rekor v2 dsse entries (issue 16): see rekor_dsse
        from . import rekor_dsse
        return rekor_dsse.mismatch(spec, env)

    return f"entries of kind {kind!r} version {version!r} cannot record a DSSE envelope here"


def verify_stored_completions(items, logs_json):
    """Verifies the log entries completing a batch of claimed submissions; raises on the first that fails.

    items is a list of _pgattest.completion_item rows as PL/Python passes them (dicts), one
    per claimed submission: submission_id, log_id, tlog_entry (JSON text), and the envelope
    as proofchain.dsse_envelopes stores it: payload_type, payload (bytes), signatures (JSON
    text [{"keyid", "sig" (base64)}]); other keys are the caller's. logs_json is {log_id:
    {"name", "der" (hex), "details", "start", "end" (epoch seconds or null)}} of the
    registered logs the items name (a log missing from it has no trusted key, so its
    entries fail log_key_found). Each entry gets the checks of proofchain.verify_tlog_entry
    (the log key's window held against the SET's integrated time, or against now without
    one), must carry its checkpoint, and its body must record the item's envelope. Returns one
    row per item, in order, keyed by its submission_id, with the entry in typed form (bytea
    as bytes) and its checkpoint parsed, ready to store. One call per batch is what makes
    completion cheap: the logs' keys are decoded once per registration and a checkpoint the
    items share is parsed and verified once.
    """
    logs = _registered_logs(logs_json)
    now = time.time()
    rows = []
    for n, item in enumerate(items, 1):
        if item is None:
            raise InputError(f"completion item {n} is NULL", sqlstate=NULL_NOT_ALLOWED,
                             hint="Pass one _pgattest.completion_item per claimed submission.")
        sid, log_id = item["submission_id"], item["log_id"]
        try:
            # No SET (Rekor v2, or a v1 entry without one): the log key's window must hold
            # now, the time this completion verifies the entry's checkpoint.
            entry = tlog.check_entry(tlog._load_json(item["tlog_entry"], "tlog_entry"),
                                     {bytes.fromhex(log_id): logs[log_id]} if log_id in logs else {}, at=now)
        except InputError as exc:
            raise InputError(f"the log entry for submission {sid} is malformed: {exc.message}",
                             sqlstate=exc.sqlstate, hint=exc.hint) from None
        if entry["error"] is not None:
            raise InputError(f"the log entry for submission {sid} does not verify against log {log_id}: {entry['error']}",
                             detail="checks: " + json.dumps(entry["checks"], sort_keys=True),
                             hint="Pass the entry exactly as the registered log returned it.")
        cp = entry["parsed_checkpoint"]
        if cp is None:
            raise InputError(f"the log entry for submission {sid} carries no checkpoint",
                             hint="pgattest stores an entry with the signed checkpoint its proof was verified "
                                  "against; fetch the entry with its inclusion proof's checkpoint.")
        # The stored envelope is read only once the entry has verified (so errors keep their order).
        envelope = _stored_envelope(sid, item["payload_type"], item["payload"], item["signatures"])
        mismatch = _mismatch(entry["body"], envelope, entry["doc"])
        if mismatch is not None:
            raise InputError(f"the log entry for submission {sid} records another envelope: {mismatch}",
                             hint="The entry's body must record the submitted envelope.")
        rows.append((sid, entry["uuid"], entry["entry_id"], entry["log_index"], entry["shard_log_index"],
                     entry["integrated_time"], entry["kind"], entry["kind_version"], entry["body"], entry["leaf"],
                     entry["root_hash"], entry["tree_size"], entry["hashes"], entry["set"], entry["checkpoint"],
                     cp["origin"], json.dumps(cp["signatures"])))
    return rows


def _stored_envelope(sid, payload_type, payload, sigs_json):
    """The envelope as _mismatch reads it, from the columns proofchain.dsse_envelopes stored
    (checked when the envelope was submitted; a NULL or undecodable one is refused)."""
    try:
        if not isinstance(payload_type, str) or not isinstance(payload, bytes):
            raise TypeError("payload type or payload missing")
        sigs = [{"sig": base64.b64decode(s["sig"], validate=True)} for s in json.loads(sigs_json)]
        if not sigs:
            raise ValueError("no signatures")
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise InputError(f"the stored envelope of submission {sid} is unreadable: {exc!r}",
                         hint="Pass each item's payload type, payload and signatures as proofchain.dsse_envelopes "
                              "stores them.") from None
    return {"payload_type": payload_type, "payload": payload, "signatures": sigs}


@functools.lru_cache(maxsize=64)
def _registered_logs(logs_json):
    """{log_id: trusted_log} of verify_stored_completions' logs argument (decoded once per text).

    attestor.complete_submissions builds that argument from attestor.transparency_logs, but
    the function is callable on its own (by pgattest_system): text that is not that object
    is bad input (22023), never an internal error."""
    try:
        logs = json.loads(logs_json) or {}
        return {log_id: tlog.trusted_log(bytes.fromhex(log["der"]), log["details"], log["name"],
                                         log["start"], log["end"], f"log {log_id}")
                for log_id, log in logs.items()}
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # JSONDecodeError is a ValueError
        raise InputError(f"the registered logs argument is not an object of logs by id: {type(exc).__name__}: "
                         f"{str(exc)[:80]}", sqlstate=INVALID_PARAMETER,
                         hint="Pass {log_id: {der, details, name, start, end}} as attestor.complete_submissions "
                              "builds it from attestor.transparency_logs.") from None
