"""Rekor v2 `dsse` entries (rekor-tiles' DSSERequestV002 and DSSELogEntryV002).

A DSSE envelope goes to a Rekor v2 log as the envelope and its verifiers:

    {"dsseRequestV002": {"envelope": {"payload", "payloadType", "signatures": [{"sig", "keyid"}]},
                         "verifiers": [{"publicKey": {"rawBytes": <DER SPKI>}, "keyDetails": ...}]}}

and the log records (canonicalized, RFC 8785) the payload's hash and each signature with
the verifier that verified it:

    {"apiVersion": "0.0.2", "kind": "dsse", "spec": {"dsseV002": {
        "payloadHash": {"algorithm": "SHA2_256", "digest": <base64>},
        "signatures": [{"content": <base64 sig>, "verifier": {"publicKey": {"rawBytes"}, "keyDetails"}}]}}}

Unlike a `hashedrekord` over the PAE digest, this works for every key type (an Ed25519
signature over the full PAE cannot verify as a prehashed digest) and carries every
signature. keyDetails follows the key: ECDSA P-256 / P-384 with SHA-256 / SHA-384,
Ed25519, RSA PKCS#1 v1.5 or PSS with SHA-256 by modulus size.

Used by the worker (request), the development log (body) and the completion (mismatch,
through rekor._mismatch): an entry records a stored envelope when its payload hash is the
payload's, and every logged signature is one of the envelope's and verifies over the PAE
with the logged key, whose keyDetails match it.
"""

import base64
import binascii
import functools
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

from . import dsse, keys
from .errors import InputError

_EC_DETAILS = {"secp256r1": "PKIX_ECDSA_P256_SHA_256", "secp384r1": "PKIX_ECDSA_P384_SHA_384"}
_RSA_BITS = (2048, 3072, 4096)


def _b64(data):
    return base64.b64encode(data).decode()


def key_details(key, signature=None, message=None):
    """The protobuf-specs PublicKeyDetails name of a key. For RSA the padding is the one
    the signature verifies with over message (PKCS#1 v1.5 unless only PSS verifies)."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name in _EC_DETAILS:
            return _EC_DETAILS[key.curve.name]
    elif isinstance(key, ed25519.Ed25519PublicKey):
        return "PKIX_ED25519"
    elif isinstance(key, rsa.RSAPublicKey):
        if key.key_size not in _RSA_BITS:
            raise InputError(f"RSA keys of {key.key_size} bits have no Rekor key details",
                             hint="Rekor v2 takes RSA keys of 2048, 3072 or 4096 bits.")
        scheme = "PKCS1V15"
        if signature is not None and message is not None:
            try:
                key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                scheme = "PSS"
        return f"PKIX_RSA_{scheme}_{key.key_size}_SHA256"
    keys.algorithm_of(key)  # raises for the unsupported
    raise InputError(f"unsupported key {type(key).__name__}", hint="Use ECDSA P-256 or P-384, Ed25519, or RSA keys.")


def _verifies(key, message, sig):
    try:
        dsse._verifier(key)(message, sig)
        return True
    except (InvalidSignature, ValueError):
        return False


@functools.lru_cache(maxsize=256)
def _der_b64(pem):
    """Base64 DER of a PEM key (serializing costs more than the signature check; signers recur)."""
    return _b64(keys.der_of(keys.load_pem(pem, "verifier_pem")))


def request(envelope, verifier_pem):
    """The dsseRequestV002 body submitting envelope (a parsed DSSE envelope dict) with the key
    verifier_pem. Only the signatures that key verifies are sent (the log refuses an
    envelope carrying a signature none of its verifiers verifies); InputError when none does."""
    env = dsse.parse_envelope(envelope)
    key = keys.load_pem(verifier_pem, "verifier_pem")
    message = dsse.pae(env["payload_type"], env["payload"])
    signed = [s for s in env["signatures"] if _verifies(key, message, s["sig"])]
    if not signed:
        raise InputError("no signature of the envelope verifies with its signer's key",
                         hint="The envelope was checked on submission; was the trust anchor's key changed?")
    return {"dsseRequestV002": {
        "envelope": {"payload": _b64(env["payload"]), "payloadType": env["payload_type"],
                     "signatures": [{"sig": _b64(s["sig"]), "keyid": s.get("keyid") or ""} for s in signed]},
        "verifiers": [{"publicKey": {"rawBytes": _der_b64(verifier_pem)},
                       "keyDetails": key_details(key, signed[0]["sig"], message)}]}}


def body(request_doc):
    """The canonical entry a log records for a dsseRequestV002 (as a dict, to canonicalize),
    verifying it as rekor-tiles does: every signature must verify with one of the verifiers.
    Raises InputError (or ValueError, KeyError, TypeError) for a request a log refuses."""
    req = request_doc["dsseRequestV002"]
    env = dsse.parse_envelope(req["envelope"])
    message = dsse.pae(env["payload_type"], env["payload"])
    verifiers = []
    for v in req["verifiers"]:
        key = keys.der_public_key(base64.b64decode(v["publicKey"]["rawBytes"], validate=True))
        if v.get("keyDetails") not in _details_options(key):
            raise InputError(f"keyDetails {str(v.get('keyDetails'))[:40]} do not match the key",
                             hint="Name the key's own algorithm.")
        verifiers.append((key, {"publicKey": {"rawBytes": v["publicKey"]["rawBytes"]}, "keyDetails": v["keyDetails"]}))
    signatures = []
    for s in env["signatures"]:
        match = next((doc for key, doc in verifiers if _verifies(key, message, s["sig"])), None)
        if match is None:
            raise InputError("all signatures must have a key that verifies it", hint="Send the signer's key.")
        signatures.append({"content": _b64(s["sig"]), "verifier": match})
    return {"apiVersion": "0.0.2", "kind": "dsse", "spec": {"dsseV002": {
        "payloadHash": {"algorithm": "SHA2_256", "digest": _b64(hashlib.sha256(env["payload"]).digest())},
        "signatures": signatures}}}


def _details_options(key):
    if isinstance(key, rsa.RSAPublicKey):
        return {f"PKIX_RSA_{s}_{key.key_size}_SHA256" for s in ("PKCS1V15", "PSS")}
    return {key_details(key)}


def _decode(text):
    if not isinstance(text, str):
        return None
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):
        return None


def mismatch(spec, env):
    """None when the `spec` of a dsse 0.0.2 entry body records the envelope env (payload_type,
    payload bytes, signatures [{"sig": bytes}]); otherwise a sentence saying why not."""
    inner = spec.get("dsseV002")
    if not isinstance(inner, dict):
        return "the dsse 0.0.2 body has no dsseV002"
    payload_hash = inner.get("payloadHash")
    if (not isinstance(payload_hash, dict) or payload_hash.get("algorithm") != "SHA2_256"
            or _decode(payload_hash.get("digest")) != hashlib.sha256(env["payload"]).digest()):
        return "payloadHash is not the SHA-256 of the envelope's payload"
    logged = inner.get("signatures")
    if not isinstance(logged, list) or not logged:
        return "the entry logs no signature"
    sigs = {s["sig"] for s in env["signatures"]}
    message = dsse.pae(env["payload_type"], env["payload"])
    for n, s in enumerate(logged):
        content = _decode(s.get("content")) if isinstance(s, dict) else None
        if content is None or content not in sigs:
            return f"logged signature {n} is not one of the envelope's"
        verifier = s.get("verifier")
        raw = _decode(((verifier or {}).get("publicKey") or {}).get("rawBytes")) if isinstance(verifier, dict) else None
        if raw is None:
            return f"logged signature {n} has no public key"
        try:
            key = keys.der_public_key(raw)
            details = _details_options(key)
        except (ValueError, TypeError, InputError):
            return f"the key of logged signature {n} does not decode, or is of no supported type"
        if verifier.get("keyDetails") not in details:
            return f"the keyDetails of logged signature {n} do not match its key"
        if not _verifies(key, message, content):
            return f"logged signature {n} does not verify over the envelope with its logged key"
    return None
