"""One transparency-log entry, verified end to end against a Sigstore trusted root.

Accepts the entry as a Sigstore bundle carries it (verificationMaterial.tlogEntries[i],
protobuf JSON: base64 bytes, int64 as strings) or as the Rekor v1 REST API returns it
({"<uuid>": {body, integratedTime, logID, logIndex, verification}} or the inner object).

Checks, each reported true/false, or null where it does not apply or was not performed:
  log_key_found             the entry's log id is a log of the trusted root
  log_key_valid             the key's validity window (closed at both ends, as Sigstore's
                            TimeRange) holds the integrated time a signed entry timestamp
                            vouches for; without one, the time the caller verifies at
  leaf_hash                 the uuid names SHA-256(0x00 || body) (REST form with a uuid;
                            an 80-hex uuid's tree-id prefix must be the checkpoint's)
  inclusion_proof           RFC 9162 inclusion of the leaf at the shard-local index
  checkpoint_signature      the checkpoint is signed by the log key (Rekor v1: matched by
                            key hint whatever the name; Rekor v2: by C2SP key id)
  checkpoint_matches_proof  the checkpoint's size and root are the proof's
  checkpoint_origin         Rekor v2: the checkpoint's origin is the log's name
  log_index_matches_proof   Rekor v2 (no shards): the entry's logIndex is the proof's index
  signed_entry_timestamp    the SET verifies (Rekor v1, when present)
Verified means every applicable check holds, and the proof's root is vouched for by a
signed checkpoint or, for Rekor v1 entries, by the signed entry timestamp. An inclusion
proof without a checkpoint proves nothing (its root is signed by no one): such an entry
is refused, unless the caller allows SET-only entries (Sigstore bundle v0.1, where the
proof is optional), in which case it verifies on its SET with the inclusion checks null
(not performed). Values the result reports are only those a signature or the proof
covers: without a SET, no integrated time, and (Rekor v1) no global log index; the entry
id's tree-id prefix comes from the signed checkpoint's origin.
"""

import base64
import binascii
import datetime
import functools
import hashlib
import json
import math
import re

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from . import keys, merkle, note
from .errors import INVALID_DATETIME, INVALID_TEXT, InputError

_HEX = re.compile(r"^[0-9a-f]*$")
CHECKS = ("log_key_found", "log_key_valid", "leaf_hash", "inclusion_proof", "checkpoint_signature",
          "checkpoint_matches_proof", "checkpoint_origin", "log_index_matches_proof", "signed_entry_timestamp")
_NO_PROOF_HINT = ("Pass the entry with its inclusion proof and checkpoint; only a Sigstore bundle v0.1 entry may go "
                  "without (allow SET-only entries for those).")


def _b64(value, what):
    if not isinstance(value, str):
        raise InputError(f"{what} must be a base64 string", hint="Pass the entry as the log or bundle gives it.")
    try:
        # What base64.b64decode(validate=True) does on Python 3.11, called directly: an
        # entry carries a dozen base64 fields and the completion decodes them all.
        return binascii.a2b_base64(value, strict_mode=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{what} is not valid base64", sqlstate=INVALID_TEXT, hint="Pass the entry unmodified.") from None


def _hex(value, what):
    if not isinstance(value, str) or not _HEX.match(value) or len(value) % 2:
        raise InputError(f"{what} is not lower-case hex", sqlstate=INVALID_TEXT, hint="Pass the entry unmodified.")
    return bytes.fromhex(value)


def _int(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InputError(f"{what} must be an integer", hint="Pass the entry unmodified.")
    try:
        n = int(value)
    except ValueError:
        raise InputError(f"{what} is not an integer: {value!r}", hint="Pass the entry unmodified.") from None
    if not 0 <= n < 2 ** 63:
        raise InputError(f"{what} is out of range: {n}", hint="Indices, sizes and times are non-negative int64.")
    return n


def _obj(value, what):
    if not isinstance(value, dict):
        raise InputError(f"{what} must be a JSON object", hint="Pass the entry as the log or bundle gives it.")
    return value


def _load_json(text, what):
    if not isinstance(text, str):
        raise InputError(f"{what} must be JSON text", hint="Pass JSON.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise InputError(f"{what} is not valid JSON", sqlstate=INVALID_TEXT, hint="Pass JSON.") from None


def _hash32(value, what):
    if len(value) != 32:
        raise InputError(f"{what} must be 32 bytes, got {len(value)}", hint="Rekor uses SHA-256 hashes.")
    return value


def normalize_entry(entry):
    """The entry's fields in one shape, from either the bundle or the REST form."""
    entry = _obj(entry, "entry")
    uuid = None
    if len(entry) == 1:
        (key, inner), = entry.items()
        if isinstance(inner, dict) and "body" in inner and re.match(r"^[0-9a-f]{64}([0-9a-f]{16})?$", key or ""):
            uuid, entry = key, inner
    if "canonicalizedBody" in entry:  # bundle (protobuf JSON)
        # A missing proof is the caller's to allow (bundle v0.1) or refuse: see check_entry.
        proof = _obj(entry["inclusionProof"], "inclusionProof") if entry.get("inclusionProof") is not None else None
        checkpoint = proof.get("checkpoint") if proof is not None else None
        e = {
            "body": _b64(entry["canonicalizedBody"], "canonicalizedBody"),
            "log_id": _b64(_obj(entry.get("logId"), "logId").get("keyId"), "logId.keyId"),
            "log_index": _int(entry.get("logIndex", "0"), "logIndex"),
            "integrated_time": _int(entry["integratedTime"], "integratedTime") if entry.get("integratedTime") not in (None, "0", 0) else None,
            "set": _b64(entry["inclusionPromise"]["signedEntryTimestamp"], "signedEntryTimestamp")
                   if isinstance(entry.get("inclusionPromise"), dict) and entry["inclusionPromise"].get("signedEntryTimestamp") else None,
            "checkpoint": _obj(checkpoint, "inclusionProof.checkpoint").get("envelope") if checkpoint is not None else None,
        }
        if proof is not None:
            e.update(
                shard_log_index=_int(proof.get("logIndex"), "inclusionProof.logIndex"),
                root_hash=_hash32(_b64(proof.get("rootHash"), "inclusionProof.rootHash"), "inclusionProof.rootHash"),
                tree_size=_int(proof.get("treeSize"), "inclusionProof.treeSize"),
                hashes=[_hash32(_b64(h, "inclusionProof.hashes[]"), "inclusionProof.hashes[]") for h in _list(proof.get("hashes"))])
    elif "body" in entry:  # Rekor v1 REST
        verification = _obj(entry.get("verification"), "verification")
        proof = (_obj(verification["inclusionProof"], "verification.inclusionProof")
                 if verification.get("inclusionProof") is not None else None)
        e = {
            "body": _b64(entry["body"], "body"),
            "log_id": _hex(entry.get("logID"), "logID"),
            "log_index": _int(entry.get("logIndex"), "logIndex"),
            "integrated_time": _int(entry.get("integratedTime"), "integratedTime"),
            "set": _b64(verification["signedEntryTimestamp"], "signedEntryTimestamp")
                   if verification.get("signedEntryTimestamp") else None,
            "checkpoint": proof.get("checkpoint") if proof is not None else None,
        }
        if proof is not None:
            e.update(
                shard_log_index=_int(proof.get("logIndex"), "inclusionProof.logIndex"),
                root_hash=_hash32(_hex(proof.get("rootHash"), "inclusionProof.rootHash"), "inclusionProof.rootHash"),
                tree_size=_int(proof.get("treeSize"), "inclusionProof.treeSize"),
                hashes=[_hash32(_hex(h, "inclusionProof.hashes[]"), "inclusionProof.hashes[]") for h in _list(proof.get("hashes"))])
    else:
        raise InputError("entry has neither canonicalizedBody (bundle form) nor body (Rekor REST form)",
                         hint="Pass verificationMaterial.tlogEntries[i] of a bundle, or a Rekor v1 API response.")
    if len(e["log_id"]) != 32:
        raise InputError(f"log id must be 32 bytes, got {len(e['log_id'])}", hint="Pass the entry unmodified.")
    if e["checkpoint"] is not None and not isinstance(e["checkpoint"], str):
        raise InputError("checkpoint must be text", hint="Pass the entry unmodified.")
    e["has_proof"] = proof is not None
    if not e["has_proof"]:
        e.update(shard_log_index=None, root_hash=None, tree_size=None, hashes=[])
    elif e["shard_log_index"] >= e["tree_size"]:
        raise InputError(f"inclusion proof index {e['shard_log_index']} is not below its tree size {e['tree_size']}",
                         hint="Pass the entry unmodified.")
    e["uuid"] = uuid
    # The parsed body (None unless a JSON object) is kept for whoever reads it next.
    try:
        doc = json.loads(e["body"])
    except (ValueError, UnicodeDecodeError, RecursionError):
        doc = None
    e["doc"] = doc if isinstance(doc, dict) else None
    fields = e["doc"] or {}
    e["kind"], e["kind_version"] = fields.get("kind"), fields.get("apiVersion")
    return e


def _list(value):
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("inclusionProof.hashes must be a list", hint="Pass the entry unmodified.")
    if len(value) > 64:
        raise InputError(f"inclusion proof has {len(value)} hashes, more than 64", hint="No RFC 9162 tree needs more.")
    return value


def _parse_time(text, what):
    """Seconds since the epoch of an RFC 3339 time with its offset (22007 otherwise)."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be an RFC 3339 time string, got {_short(text)}",
                         hint="Pass a Sigstore trusted_root.json (validFor.start is required).")
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise InputError(f"{what} is not an RFC 3339 time with an offset: {_short(text)}", sqlstate=INVALID_DATETIME,
                         hint="Write times as 2021-01-12T11:53:27Z.")
    return when.timestamp()


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def trusted_logs(trusted_root_json):
    """{log id bytes: {'key', 'der', 'details', 'name', 'start', 'end'}} of a Sigstore trusted root."""
    return logs_of_root(_load_json(trusted_root_json, "trusted_root"))


def logs_of_root(root):
    """trusted_logs of a parsed trusted root. Every log's validFor must state a start, as
    sigstore-go requires ("rekor validity period start time not set"); an end is optional."""
    root = _obj(root, "trusted_root")
    tlogs = root.get("tlogs", [])
    if not isinstance(tlogs, list):
        raise InputError("trusted_root.tlogs must be a list", hint="Pass a Sigstore trusted_root.json.")
    logs = {}
    for i, t in enumerate(tlogs):
        t = _obj(t, f"trusted_root.tlogs[{i}]")
        pk = _obj(t.get("publicKey"), f"trusted_root.tlogs[{i}].publicKey")
        der = _b64(pk.get("rawBytes"), f"trusted_root.tlogs[{i}].publicKey.rawBytes")
        valid = _obj(pk.get("validFor"), f"trusted_root.tlogs[{i}].publicKey.validFor")
        start = _parse_time(valid.get("start"), f"trusted_root.tlogs[{i}].publicKey.validFor.start")
        end = (_parse_time(valid["end"], f"trusted_root.tlogs[{i}].publicKey.validFor.end")
               if valid.get("end") is not None else None)
        url = t.get("baseUrl") if isinstance(t.get("baseUrl"), str) else ""
        logs[_b64(_obj(t.get("logId"), f"trusted_root.tlogs[{i}].logId").get("keyId"), "logId.keyId")] = trusted_log(
            der, pk.get("keyDetails"),
            # The checkpoint key name: Sigstore's trusted roots leave it implicit (the
            # host of baseUrl, which a Rekor v2 log's origin is); pgattest's registered
            # logs state it (checkpointKeyName). A Rekor v1 key hint does not cover it.
            t.get("checkpointKeyName") if isinstance(t.get("checkpointKeyName"), str)
            else re.sub(r"^https?://", "", url).split("/")[0].split(":")[0],
            start, end, f"trusted_root.tlogs[{i}]")
    return logs


def trusted_log(der, details, name, start, end, what="log"):
    """One log as verify_entry wants it: {'key', 'der', 'pem', 'details', 'name', 'start', 'end'}
    (start and end in seconds since the epoch, or None)."""
    for bound, value in (("start", start), ("end", end)):
        # A bound that is not a finite number would make every comparison raise (or pass).
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value)):
            raise InputError(f"{what} has a validity {bound} that is not a time: {value!r}",
                             hint="Give validity bounds in whole seconds since the epoch, or none.")
    try:
        key = keys.der_public_key(der)
    except (ValueError, TypeError):
        raise InputError(f"{what} has an undecodable public key", sqlstate=INVALID_TEXT,
                         hint="The log key is a DER SubjectPublicKeyInfo.") from None
    # Rekor v2 logs sign with Ed25519 (C2SP key ids bind the name; no shards, no SET).
    return {"key": key, "der": der, "pem": _pem(der), "details": details, "name": name, "start": start, "end": end,
            "v2": isinstance(key, ed25519.Ed25519PublicKey)}


def _pem(der):
    return "-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(der).decode() + "-----END PUBLIC KEY-----\n"


def _verify_set(e, log):
    """Rekor v1 signed entry timestamp: ECDSA over RFC 8785 {body, integratedTime, logID, logIndex}."""
    if not isinstance(log["key"], ec.EllipticCurvePublicKey) or e["integrated_time"] is None:
        return False
    try:
        payload = rfc8785.dumps({"body": base64.b64encode(e["body"]).decode(), "integratedTime": e["integrated_time"],
                                 "logID": e["log_id"].hex(), "logIndex": e["log_index"]})
    except rfc8785.CanonicalizationError:  # e.g. an index beyond 2^53: no log signed that
        return False
    try:
        log["key"].verify(e["set"], payload, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError):
        return False


def set_only_allowed(media_type):
    """Whether a bundle of this media type may carry SET-only entries: only v0.1, where the
    inclusion proof is optional (sigstore-go requires it from v0.2 on)."""
    return media_type == "application/vnd.dev.sigstore.bundle+json;version=0.1"


def verify_tlog_entry(entry_json, trusted_root_json, allow_set_only=False, at=None):
    """{'verified', 'checks', 'error', 'entry'} for one entry; raises InputError when malformed.

    allow_set_only: accept an entry whose SET vouches for it without a checkpointed
    inclusion proof (Sigstore bundle v0.1). at: seconds since the epoch the caller verifies
    at, held against the key's window when no SET vouches for an integrated time."""
    return verify_entry(_load_json(entry_json, "entry"), trusted_logs(trusted_root_json), allow_set_only, at)


def verify_entry(entry, logs, allow_set_only=False, at=None):
    """verify_tlog_entry of a parsed entry against trusted_logs()."""
    e = check_entry(entry, logs, allow_set_only, at)
    return {
        "verified": e["error"] is None,
        "checks": e["checks"],
        "error": e["error"],
        "entry": {
            "log_id": e["log_id"].hex(), "kind": e["kind"], "kind_version": e["kind_version"],
            "log_index": e["log_index"], "shard_log_index": e["shard_log_index"],
            "integrated_time": e["integrated_time"], "uuid": e["uuid"], "entry_id": e["entry_id"],
            "body_b64": base64.b64encode(e["body"]).decode(), "leaf_hash": e["uuid"],
            "root_hash": e["root_hash"].hex() if e["root_hash"] is not None else None, "tree_size": e["tree_size"],
            "hashes": [h.hex() for h in e["hashes"]],
            "checkpoint": e["checkpoint"], "origin": e["origin"],
            "signed_entry_timestamp": base64.b64encode(e["set"]).decode() if e["set"] is not None else None,
        },
    }


# Checkpoints are immutable text and a batch shares one: parse each once. Callers only read.
_parsed_checkpoint = functools.lru_cache(maxsize=256)(note.parse_checkpoint)


def _window_text(log):
    def fmt(t):
        try:
            return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (OverflowError, ValueError, OSError):
            return str(t)
    return "[%s, %s]" % (fmt(log["start"]) if log["start"] is not None else "unbounded",
                         fmt(log["end"]) if log["end"] is not None else "open")


def _signature_lines(cp):
    return ", ".join(f"{s['name']} {s['key_id']}" for s in cp["signatures"]) if cp else "none"


def check_entry(entry, logs, allow_set_only=False, at=None):
    """The checks of verify_entry on the normalized entry (bytes and ints, as normalize_entry
    gives them), adding 'checks', 'error' (None when verified; else naming the failed check
    and what it looked for), 'leaf', 'uuid' (hex leaf hash), 'entry_id', and 'origin' and
    'parsed_checkpoint' (None without a verified checkpoint). allow_set_only and at: see
    verify_tlog_entry."""
    e = normalize_entry(entry)
    if not e["has_proof"] and not (allow_set_only and e["set"] is not None):
        raise InputError("the entry has no inclusion proof" + ("" if allow_set_only else
                         " (SET-only entries are not allowed here)"), hint=_NO_PROOF_HINT)
    checks = dict.fromkeys(CHECKS)
    why = {}
    leaf = merkle.leaf_hash(e["body"])
    log = logs.get(e["log_id"])
    checks["log_key_found"] = log is not None
    if log is None:
        why["log_key_found"] = (f"no trusted log has log id {e['log_id'].hex()} (trusted: "
                                f"{', '.join(sorted(k.hex() for k in logs)) or 'none'})")
    cp = None
    # Only a signed entry timestamp vouches for the integrated time: without one it is
    # not reported, so nothing downstream takes an unsigned claim for a fact.
    if e["set"] is None:
        e["integrated_time"] = None
    v2 = log is not None and log["v2"]
    if log is not None:
        if e["set"] is not None:
            checks["signed_entry_timestamp"] = _verify_set(e, log)
        # The window is closed at both ends (Sigstore's TimeRange: sigstore-go refuses
        # only a start after the time or an end before it). Without a SET, the time the
        # caller verifies at (a completion: now; a stored entry: when its checkpoint was).
        when = e["integrated_time"] if checks["signed_entry_timestamp"] is True else at
        if when is not None:
            checks["log_key_valid"] = ((log["start"] is None or when >= log["start"])
                                       and (log["end"] is None or when <= log["end"]))
            why["log_key_valid"] = (f"time {int(when)} is outside the validity {_window_text(log)} of log key "
                                    f"{e['log_id'].hex()}")
        if e["has_proof"] and e["checkpoint"] is None and not allow_set_only:
            # A proof whose root no one signed proves nothing (sigstore-go: a v0.2+ entry's
            # proof must carry its checkpoint).
            checks["checkpoint_signature"] = False
            why["checkpoint_signature"] = "the inclusion proof carries no checkpoint"
        elif e["has_proof"] and e["checkpoint"] is None:
            # SET-only allowed (bundle v0.1): the proof's root is signed by no one, so the
            # proof is not reported as passed; but one that does not even reproduce its own
            # root is a corrupted entry.
            if not merkle.verify_inclusion(leaf, e["shard_log_index"], e["tree_size"], e["hashes"], e["root_hash"]):
                checks["inclusion_proof"] = False
                why["inclusion_proof"] = "the inclusion proof does not reproduce its own root hash"
        elif e["has_proof"]:
            checks["inclusion_proof"] = merkle.verify_inclusion(leaf, e["shard_log_index"], e["tree_size"],
                                                                e["hashes"], e["root_hash"])
            try:
                cp = _parsed_checkpoint(e["checkpoint"])
                checks["checkpoint_matches_proof"] = (cp["tree_size"] == e["tree_size"] and cp["root_hash"] == e["root_hash"])
                checks["checkpoint_signature"] = note.verify_checkpoint_pem(e["checkpoint"], log["name"], log["pem"])
            except InputError as exc:
                cp = None
                checks["checkpoint_signature"] = checks["checkpoint_matches_proof"] = False
                why["checkpoint_signature"] = f"the checkpoint is malformed: {exc.message}"
            if checks["checkpoint_signature"] is False and "checkpoint_signature" not in why:
                key_id, name = note.pem_key_id(log["pem"], log["name"])
                why["checkpoint_signature"] = (f"no valid signature by key id {key_id}"
                                               + (f" named {name}" if name else "")
                                               + f" (signature lines: {_signature_lines(cp)})")
            why["checkpoint_matches_proof"] = "the checkpoint's size and root are not the proof's"
            if v2 and cp is not None:
                # rekor-tiles' VerifyCheckpoint: the origin is the log's name; and it
                # proves inclusion at the entry's own index (one tree, no shards).
                checks["checkpoint_origin"] = cp["origin"] == log["name"]
                why["checkpoint_origin"] = f"origin {cp['origin'][:80]!r} is not the log's name {log['name']!r}"
                checks["log_index_matches_proof"] = e["log_index"] == e["shard_log_index"]
                why["log_index_matches_proof"] = (f"logIndex {e['log_index']} is not the inclusion proof's index "
                                                  f"{e['shard_log_index']}")
    signed_cp = cp if checks["checkpoint_signature"] is True else None
    tree_id = None
    if signed_cp is not None and not v2 and re.match(r"^.+ - (\d+)$", signed_cp["origin"]):
        tree_id = int(signed_cp["origin"].rsplit(" - ", 1)[1])
    uuid = leaf.hex()
    if log is not None and e["uuid"] is not None:
        checks["leaf_hash"] = (e["uuid"][-64:] == uuid
                               and (len(e["uuid"]) == 64 or tree_id is None or e["uuid"][:16] == f"{tree_id:016x}"))
        why["leaf_hash"] = f"the entry's uuid {e['uuid']} does not name its body's leaf {uuid} in tree {tree_id}"
    failed = next((name for name in CHECKS if checks[name] is False), None)
    vouched = checks["checkpoint_signature"] is True or checks["signed_entry_timestamp"] is True
    error = None
    if failed is not None:
        error = f"check {failed} failed" + (f": {why[failed]}" if failed in why else "")
    elif not vouched:
        error = "neither a checkpoint nor a signed entry timestamp vouches for the proof's root"
    # Only what a signature or the proof covers is reported: a Rekor v1 global index only
    # under a SET (a v2 index is the proof's, checked above).
    if e["set"] is None and not v2:
        e["log_index"] = None
    e.update(checks=checks, error=error, leaf=leaf, uuid=uuid, origin=signed_cp["origin"] if signed_cp else None,
             parsed_checkpoint=signed_cp, entry_id=f"{tree_id:016x}{uuid}" if tree_id is not None else None)
    return e


def verify_tlog_entry_json(entry_json, trusted_root_json, allow_set_only=False, at=None):
    """verify_tlog_entry as JSON text (for the jsonb SQL result)."""
    return json.dumps(verify_tlog_entry(entry_json, trusted_root_json, allow_set_only, at), sort_keys=True)


def verify_tlog_entry_at_json(entry_json, trusted_root_json, allow_set_only, at):
    """The SQL overload's entry: NULL allow_set_only is false, NULL at is no time given."""
    if allow_set_only is not None and not isinstance(allow_set_only, bool):
        raise InputError("allow_set_only must be a boolean", hint="Pass true or false.")
    if at is not None and (isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at)):
        raise InputError(f"verified_at must be a finite time, got {_short(at)}", sqlstate=INVALID_DATETIME,
                         hint="Pass a finite timestamptz, or NULL.")
    return verify_tlog_entry_json(entry_json, trusted_root_json, bool(allow_set_only), at)
