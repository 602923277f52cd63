"""DSSE v1 (github.com/secure-systems-lab/dsse, protocol.md): PAE and envelope signatures.

Accepted signature schemes, chosen by the key: ECDSA P-256 with SHA-256 and P-384
with SHA-384 (DER signatures, as DSSE implementations emit; raw r||s is accepted too,
since some signers produce it), Ed25519, and RSA with SHA-256 in PKCS#1 v1.5 or PSS.
"""

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from . import keys
from .errors import INVALID_TEXT, InputError

_HASH_FOR_CURVE = {"secp256r1": (hashes.SHA256, 32), "secp384r1": (hashes.SHA384, 48)}


def pae(payload_type, payload):
    """DSSEv1 SP LEN(type) SP type SP LEN(body) SP body, lengths in bytes, ASCII decimal."""
    if not isinstance(payload_type, str):
        raise InputError("payload_type must be text", hint="Pass the envelope's payloadType.")
    if not isinstance(payload, (bytes, bytearray)):
        raise InputError("payload must be bytes", hint="Pass the decoded payload (bytea).")
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), bytes(payload))


def decode_b64(text, what):
    """Standard or URL-safe base64, padded or not."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be a base64 string", hint="Encode bytes as base64 text.")
    data = text.strip()
    if "-" in data or "_" in data:
        data = data.replace("-", "+").replace("_", "/")
    data += "=" * (-len(data) % 4)
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{what} is not valid base64", sqlstate=INVALID_TEXT,
                         hint="Use standard or URL-safe base64.") from None


def parse_envelope(envelope_json):
    """{'payload_type', 'payload' (bytes), 'signatures': [{'keyid', 'sig' (bytes)}]}.

    envelope_json is the JSON text, or the envelope already parsed (a dict).
    """
    if isinstance(envelope_json, dict):
        env = envelope_json
    elif not isinstance(envelope_json, str):
        raise InputError("envelope must be JSON text", hint="Pass the DSSE envelope as JSON.")
    else:
        try:
            env = json.loads(envelope_json)
        except (ValueError, RecursionError):
            raise InputError("envelope is not valid JSON", sqlstate=INVALID_TEXT, hint="Pass the DSSE envelope as JSON.") from None
    if not isinstance(env, dict):
        raise InputError("envelope must be a JSON object", hint="A DSSE envelope is {payloadType, payload, signatures}.")
    payload_type = env.get("payloadType")
    if not isinstance(payload_type, str) or not payload_type:
        raise InputError("envelope has no payloadType", hint="A DSSE envelope is {payloadType, payload, signatures}.")
    if "payload" not in env:
        raise InputError("envelope has no payload", hint="A DSSE envelope is {payloadType, payload, signatures}.")
    payload = decode_b64(env["payload"], "envelope payload")
    sigs = env.get("signatures")
    if not isinstance(sigs, list) or not sigs:
        raise InputError("envelope has no signatures", hint="A DSSE envelope carries at least one {keyid, sig}.")
    signatures = []
    for i, s in enumerate(sigs):
        if not isinstance(s, dict) or "sig" not in s:
            raise InputError(f"envelope signature {i} has no sig", hint="Each signature is {keyid, sig}.")
        keyid = s.get("keyid")
        if keyid is not None and not isinstance(keyid, str):
            raise InputError(f"envelope signature {i} has a keyid that is not text", hint="keyid is a string.")
        signatures.append({"keyid": keyid, "sig": decode_b64(s["sig"], f"envelope signature {i}")})
    return {"payload_type": payload_type, "payload": payload, "signatures": signatures}


def _verifier(key):
    """A function (message, signature) -> bool for the key, by its type."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        hash_cls, size = _HASH_FOR_CURVE[key.curve.name] if key.curve.name in _HASH_FOR_CURVE else (None, 0)
        if hash_cls is None:
            raise InputError(f"unsupported elliptic curve {key.curve.name}", hint="Use ECDSA P-256 or P-384.")

        def verify(message, sig):
            if len(sig) == 2 * size:  # raw r || s
                sig = utils.encode_dss_signature(int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big"))
            key.verify(sig, message, ec.ECDSA(hash_cls()))
        return verify
    if isinstance(key, ed25519.Ed25519PublicKey):
        return lambda message, sig: key.verify(sig, message)
    if isinstance(key, rsa.RSAPublicKey):
        def verify(message, sig):
            try:
                key.verify(sig, message, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                key.verify(sig, message, padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                                     salt_length=padding.PSS.AUTO), hashes.SHA256())
        return verify
    keys.algorithm_of(key)  # raises for any other key type
    raise AssertionError("unreachable")


def verify_envelope(envelope_json, public_key_pem):
    """True when any one signature of the envelope verifies with the key over the PAE."""
    env = parse_envelope(envelope_json)
    verify = _verifier(keys.load_pem(public_key_pem))
    message = pae(env["payload_type"], env["payload"])
    for s in env["signatures"]:
        try:
            verify(message, s["sig"])
            return True
        except (InvalidSignature, ValueError):
            continue
    return False
