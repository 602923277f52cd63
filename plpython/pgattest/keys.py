"""Public keys as pgattest stores them: algorithm, key id, DER, and transparency-log ids."""

import functools
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .errors import INVALID_TEXT, InputError


# Decoding a key costs OpenSSL 3 0.4-0.8 ms, more than verifying a signature with it;
# the same few keys (trust anchors, log keys) recur, so decoded keys are kept. Failures
# raise and are not cached.
@functools.lru_cache(maxsize=512)
def pem_public_key(pem_bytes):
    return serialization.load_pem_public_key(pem_bytes)


@functools.lru_cache(maxsize=512)
def der_public_key(der_bytes):
    return serialization.load_der_public_key(der_bytes)


def load_pem(pem, what="public_key_pem"):
    """A cryptography public key from PEM text; 22P02 when it does not decode."""
    if not isinstance(pem, str) or "-----BEGIN" not in pem:
        raise InputError(f"{what} is not a PEM public key", sqlstate=INVALID_TEXT,
                         hint="Pass the key as PEM text: -----BEGIN PUBLIC KEY----- ...")
    try:
        return pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise InputError(f"{what} does not decode as a PEM public key: {exc}", sqlstate=INVALID_TEXT,
                         hint="Pass a SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----).") from None


def algorithm_of(key):
    if isinstance(key, ec.EllipticCurvePublicKey):
        name = {"secp256r1": "ecdsa-p256", "secp384r1": "ecdsa-p384"}.get(key.curve.name)
        if name:
            return name
        raise InputError(f"unsupported elliptic curve {key.curve.name}",
                         hint="Use ECDSA P-256 or P-384, Ed25519, or RSA keys.")
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519"
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa"
    raise InputError(f"unsupported public key type {type(key).__name__}",
                     hint="Use ECDSA P-256 or P-384, Ed25519, or RSA keys.")


def der_of(key):
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_info(pem):
    """{'algorithm', 'key_id' (hex SHA-256 of the DER SubjectPublicKeyInfo), 'der'}."""
    key = load_pem(pem)
    der = der_of(key)
    return {"algorithm": algorithm_of(key), "key_id": hashlib.sha256(der).hexdigest(), "der": der}


def log_key(api_version, key_name, pem):
    """{'log_id', 'der', 'key_details'} of a transparency log's key, as Sigstore computes log ids.

    Rekor v1 (ECDSA P-256): SHA-256 of the DER SubjectPublicKeyInfo.
    Rekor v2 (Ed25519): SHA-256(key_name || 0x0A || 0x01 || raw key), the signed-note key hash."""
    key = load_pem(pem)
    der = der_of(key)
    if api_version == "rekor_v1":
        if not (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"):
            raise InputError("a Rekor v1 log key must be ECDSA P-256",
                             hint="Rekor v1 signs checkpoints and entry timestamps with ECDSA P-256.")
        return {"log_id": hashlib.sha256(der).hexdigest(), "der": der, "key_details": "PKIX_ECDSA_P256_SHA_256"}
    if api_version == "rekor_v2":
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise InputError("a Rekor v2 log key must be Ed25519", hint="Rekor v2 (rekor-tiles) signs checkpoints with Ed25519.")
        if not key_name or any(c.isspace() for c in key_name) or "+" in key_name:
            raise InputError(f"invalid key_name {key_name!r} for a Rekor v2 log",
                             hint="The key name is the log's origin: no spaces, no '+'.")
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"log_id": hashlib.sha256(key_name.encode() + b"\n\x01" + raw).hexdigest(), "der": der,
                "key_details": "PKIX_ED25519"}
    raise InputError(f"invalid api_version {api_version!r}", hint="Use 'rekor_v1' or 'rekor_v2'.")
