"""One transparency-log entry, verified end to end against a Sigstore trusted root.

Accepts the entry as a Sigstore bundle carries it (verificationMaterial.tlogEntries[i],
protobuf JSON: base64 bytes, int64 as strings) or as the Rekor v1 REST API returns it
({"<uuid>": {body, integratedTime, logID, logIndex, verification}} or the inner object).

Checks, each reported true/false, or null where it does not apply:
  log_key_found             the entry's log id is a log of the trusted root
  log_key_valid             the integrated time falls in the key's validity (Rekor v1;
                            the time counts only when a signed entry timestamp covers it)
  leaf_hash                 the uuid names SHA-256(0x00 || body) (REST form with a uuid)
  inclusion_proof           RFC 9162 inclusion of the leaf at the shard-local index
  checkpoint_signature      the checkpoint is signed by the log key
  checkpoint_matches_proof  the checkpoint's size and root are the proof's
  signed_entry_timestamp    the SET verifies (Rekor v1, when present)
Verified means every applicable check holds, and the proof's root is vouched for by a
checkpoint or, for Rekor v1 entries without one, by the signed entry timestamp.
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
from cryptography.hazmat.primitives.asymmetric import ec

from . import keys, merkle, note
from .errors import INVALID_TEXT, InputError

_HEX = re.compile(r"^[0-9a-f]*$")
CHECKS = ("log_key_found", "log_key_valid", "leaf_hash", "inclusion_proof", "checkpoint_signature",
          "checkpoint_matches_proof", "signed_entry_timestamp")


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
        proof = _obj(entry.get("inclusionProof"), "inclusionProof")
        checkpoint = proof.get("checkpoint")
        e = {
            "body": _b64(entry["canonicalizedBody"], "canonicalizedBody"),
            "log_id": _b64(_obj(entry.get("logId"), "logId").get("keyId"), "logId.keyId"),
            "log_index": _int(entry.get("logIndex", "0"), "logIndex"),
            "integrated_time": _int(entry["integratedTime"], "integratedTime") if entry.get("integratedTime") not in (None, "0", 0) else None,
            "set": _b64(entry["inclusionPromise"]["signedEntryTimestamp"], "signedEntryTimestamp")
                   if isinstance(entry.get("inclusionPromise"), dict) and entry["inclusionPromise"].get("signedEntryTimestamp") else None,
            "shard_log_index": _int(proof.get("logIndex"), "inclusionProof.logIndex"),
            "root_hash": _hash32(_b64(proof.get("rootHash"), "inclusionProof.rootHash"), "inclusionProof.rootHash"),
            "tree_size": _int(proof.get("treeSize"), "inclusionProof.treeSize"),
            "hashes": [_hash32(_b64(h, "inclusionProof.hashes[]"), "inclusionProof.hashes[]") for h in _list(proof.get("hashes"))],
            "checkpoint": _obj(checkpoint, "inclusionProof.checkpoint").get("envelope") if checkpoint is not None else None,
        }
    elif "body" in entry:  # Rekor v1 REST
        verification = _obj(entry.get("verification"), "verification")
        proof = _obj(verification.get("inclusionProof"), "verification.inclusionProof")
        e = {
            "body": _b64(entry["body"], "body"),
            "log_id": _hex(entry.get("logID"), "logID"),
            "log_index": _int(entry.get("logIndex"), "logIndex"),
            "integrated_time": _int(entry.get("integratedTime"), "integratedTime"),
            "set": _b64(verification["signedEntryTimestamp"], "signedEntryTimestamp")
                   if verification.get("signedEntryTimestamp") else None,
            "shard_log_index": _int(proof.get("logIndex"), "inclusionProof.logIndex"),
            "root_hash": _hash32(_hex(proof.get("rootHash"), "inclusionProof.rootHash"), "inclusionProof.rootHash"),
            "tree_size": _int(proof.get("treeSize"), "inclusionProof.treeSize"),
            "hashes": [_hash32(_hex(h, "inclusionProof.hashes[]"), "inclusionProof.hashes[]") for h in _list(proof.get("hashes"))],
            "checkpoint": proof.get("checkpoint"),
        }
    else:
        raise InputError("entry has neither canonicalizedBody (bundle form) nor body (Rekor REST form)",
                         hint="Pass verificationMaterial.tlogEntries[i] of a bundle, or a Rekor v1 API response.")
    if len(e["log_id"]) != 32:
        raise InputError(f"log id must be 32 bytes, got {len(e['log_id'])}", hint="Pass the entry unmodified.")
    if e["checkpoint"] is not None and not isinstance(e["checkpoint"], str):
        raise InputError("checkpoint must be text", hint="Pass the entry unmodified.")
    if e["shard_log_index"] >= e["tree_size"]:
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


def _parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if isinstance(text, str) else None


def trusted_logs(trusted_root_json):
    """{log id bytes: {'key', 'der', 'details', 'name', 'start', 'end'}} of a Sigstore trusted root."""
    return logs_of_root(_load_json(trusted_root_json, "trusted_root"))


def logs_of_root(root):
    """trusted_logs of a parsed trusted root."""
    root = _obj(root, "trusted_root")
    tlogs = root.get("tlogs", [])
    if not isinstance(tlogs, list):
        raise InputError("trusted_root.tlogs must be a list", hint="Pass a Sigstore trusted_root.json.")
    logs = {}
    for i, t in enumerate(tlogs):
        t = _obj(t, f"trusted_root.tlogs[{i}]")
        pk = _obj(t.get("publicKey"), f"trusted_root.tlogs[{i}].publicKey")
        der = _b64(pk.get("rawBytes"), f"trusted_root.tlogs[{i}].publicKey.rawBytes")
        valid = pk.get("validFor") if isinstance(pk.get("validFor"), dict) else {}
        url = t.get("baseUrl") if isinstance(t.get("baseUrl"), str) else ""
        logs[_b64(_obj(t.get("logId"), f"trusted_root.tlogs[{i}].logId").get("keyId"), "logId.keyId")] = trusted_log(
            der, pk.get("keyDetails"),
            # The checkpoint key name: Sigstore's trusted roots leave it implicit (the
            # host of baseUrl); pgattest's registered logs state it (checkpointKeyName).
            t.get("checkpointKeyName") if isinstance(t.get("checkpointKeyName"), str)
            else re.sub(r"^https?://", "", url).split("/")[0].split(":")[0],
            _parse_time(valid.get("start")), _parse_time(valid.get("end")), f"trusted_root.tlogs[{i}]")
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
    return {"key": key, "der": der, "pem": _pem(der), "details": details, "name": name, "start": start, "end": end}


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


def verify_tlog_entry(entry_json, trusted_root_json):
    """{'verified', 'checks', 'error', 'entry'} for one entry; raises InputError when malformed."""
    return verify_entry(_load_json(entry_json, "entry"), trusted_logs(trusted_root_json))


def verify_entry(entry, logs):
    """verify_tlog_entry of a parsed entry against trusted_logs()."""
    e = check_entry(entry, logs)
    return {
        "verified": e["error"] is None,
        "checks": e["checks"],
        "error": e["error"],
        "entry": {
            "log_id": e["log_id"].hex(), "kind": e["kind"], "kind_version": e["kind_version"],
            "log_index": e["log_index"], "shard_log_index": e["shard_log_index"],
            "integrated_time": e["integrated_time"], "uuid": e["uuid"], "entry_id": e["entry_id"],
            "body_b64": base64.b64encode(e["body"]).decode(), "leaf_hash": e["uuid"],
            "root_hash": e["root_hash"].hex(), "tree_size": e["tree_size"], "hashes": [h.hex() for h in e["hashes"]],
            "checkpoint": e["checkpoint"], "origin": e["origin"],
            "signed_entry_timestamp": base64.b64encode(e["set"]).decode() if e["set"] is not None else None,
        },
    }


# Checkpoints are immutable text and a batch shares one: parse each once. Callers only read.
_parsed_checkpoint = functools.lru_cache(maxsize=256)(note.parse_checkpoint)


def check_entry(entry, logs):
    """The checks of verify_entry on the normalized entry (bytes and ints, as normalize_entry
    gives them), adding 'checks', 'error' (None when verified), 'leaf', 'uuid' (hex leaf
    hash), 'entry_id', and 'origin' and 'parsed_checkpoint' (None without a checkpoint)."""
    e = normalize_entry(entry)
    checks = dict.fromkeys(CHECKS)
    leaf = merkle.leaf_hash(e["body"])
    log = logs.get(e["log_id"])
    checks["log_key_found"] = log is not None
    cp = None
    # Only a signed entry timestamp vouches for the integrated time: without one it is
    # not reported, so nothing downstream takes an unsigned claim for a fact.
    if e["set"] is None:
        e["integrated_time"] = None
    if log is not None:
        if e["integrated_time"] is not None:
            checks["log_key_valid"] = ((log["start"] is None or e["integrated_time"] >= log["start"])
                                       and (log["end"] is None or e["integrated_time"] < log["end"]))
        if e["uuid"] is not None:
            checks["leaf_hash"] = e["uuid"][-64:] == leaf.hex()
        checks["inclusion_proof"] = merkle.verify_inclusion(leaf, e["shard_log_index"], e["tree_size"],
                                                            e["hashes"], e["root_hash"])
        if e["checkpoint"] is not None:
            try:
                cp = _parsed_checkpoint(e["checkpoint"])
                checks["checkpoint_matches_proof"] = (cp["tree_size"] == e["tree_size"] and cp["root_hash"] == e["root_hash"])
                checks["checkpoint_signature"] = note.verify_checkpoint_pem(e["checkpoint"], log["name"], log["pem"])
            except InputError:
                cp = None
                checks["checkpoint_signature"] = checks["checkpoint_matches_proof"] = False
        if e["set"] is not None:
            checks["signed_entry_timestamp"] = _verify_set(e, log)
    failed = next((name for name in CHECKS if checks[name] is False), None)
    vouched = checks["checkpoint_signature"] is True or checks["signed_entry_timestamp"] is True
    error = None
    if failed is not None:
        error = f"check {failed} failed"
    elif not vouched:
        error = "neither a checkpoint nor a signed entry timestamp vouches for the proof's root"
    origin = cp["origin"] if cp is not None else None
    tree_id = None
    if origin and re.match(r"^.+ - (\d+)$", origin):
        tree_id = int(origin.rsplit(" - ", 1)[1])
    uuid = leaf.hex()
    e.update(checks=checks, error=error, leaf=leaf, uuid=uuid, origin=origin, parsed_checkpoint=cp,
             entry_id=e["uuid"] if e["uuid"] and len(e["uuid"]) == 80
             else (f"{tree_id:016x}{uuid}" if tree_id is not None else None))
    return e


def verify_tlog_entry_json(entry_json, trusted_root_json):
    """verify_tlog_entry as JSON text (for the jsonb SQL result)."""
    return json.dumps(verify_tlog_entry(entry_json, trusted_root_json), sort_keys=True)
