"""Rekor v2 dsse entries (pgattest.rekor_dsse): the request, the recorded body, and the
completion's check that an entry records the stored envelope, for every key type."""

import base64
import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

from pgattest import dsse, rekor, rekor_dsse
from pgattest.errors import InputError

KINDS = {
    "p256": (lambda: ec.generate_private_key(ec.SECP256R1()), lambda k, m: k.sign(m, ec.ECDSA(hashes.SHA256())),
             "PKIX_ECDSA_P256_SHA_256"),
    "p384": (lambda: ec.generate_private_key(ec.SECP384R1()), lambda k, m: k.sign(m, ec.ECDSA(hashes.SHA384())),
             "PKIX_ECDSA_P384_SHA_384"),
    "ed25519": (ed25519.Ed25519PrivateKey.generate, lambda k, m: k.sign(m), "PKIX_ED25519"),
    "rsa": (lambda: rsa.generate_private_key(65537, 2048), lambda k, m: k.sign(m, padding.PKCS1v15(), hashes.SHA256()),
            "PKIX_RSA_PKCS1V15_2048_SHA256"),
    "rsa-pss": (lambda: rsa.generate_private_key(65537, 3072),
                lambda k, m: k.sign(m, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()),
                "PKIX_RSA_PSS_3072_SHA256"),
}


def signed(kind, payload=b'{"_type": "https://in-toto.io/Statement/v1"}', extra_sigs=()):
    make, sign, details = KINDS[kind]
    key = make()
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    ptype = "application/vnd.in-toto+json"
    sig = sign(key, dsse.pae(ptype, payload))
    env = {"payloadType": ptype, "payload": base64.b64encode(payload).decode(),
           "signatures": [{"keyid": "", "sig": base64.b64encode(sig).decode()}, *extra_sigs]}
    return env, pem, details


def stored(env):
    """The envelope as the completion reads it from proofchain.dsse_envelopes."""
    return {"payload_type": env["payloadType"], "payload": base64.b64decode(env["payload"]),
            "signatures": [{"sig": base64.b64decode(s["sig"])} for s in env["signatures"]]}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_request_body_and_check_round_trip(kind):
    env, pem, details = signed(kind)
    req = rekor_dsse.request(env, pem)["dsseRequestV002"]
    assert req["verifiers"][0]["keyDetails"] == details
    assert req["envelope"]["signatures"] == env["signatures"] and req["envelope"]["payload"] == env["payload"]
    body = rekor_dsse.body({"dsseRequestV002": req})
    assert (body["kind"], body["apiVersion"]) == ("dsse", "0.0.2")
    spec = body["spec"]["dsseV002"]
    assert spec["payloadHash"] == {"algorithm": "SHA2_256",
                                   "digest": base64.b64encode(hashlib.sha256(base64.b64decode(env["payload"])).digest()).decode()}
    assert spec["signatures"] == [{"content": env["signatures"][0]["sig"], "verifier": req["verifiers"][0]}]
    assert rekor_dsse.mismatch(body["spec"], stored(env)) is None
    # Through the completion's dispatcher, from the canonical bytes a log stores.
    assert rekor._mismatch(json.dumps(body).encode(), stored(env)) is None


def test_only_the_signers_signatures_are_sent():
    other, _, _ = signed("ed25519")
    env, pem, _ = signed("p256", extra_sigs=other["signatures"])
    req = rekor_dsse.request(env, pem)["dsseRequestV002"]
    assert req["envelope"]["signatures"] == env["signatures"][:1], "a signature the key does not verify is left out"
    with pytest.raises(InputError, match="no signature"):
        rekor_dsse.request(other, pem)


def test_the_log_refuses_a_signature_no_verifier_verifies_and_wrong_key_details():
    other, _, _ = signed("ed25519")
    env, pem, _ = signed("p256")
    req = rekor_dsse.request(env, pem)
    req["dsseRequestV002"]["envelope"]["signatures"] += other["signatures"]
    with pytest.raises(InputError, match="all signatures"):
        rekor_dsse.body(req)
    req = rekor_dsse.request(env, pem)
    req["dsseRequestV002"]["verifiers"][0]["keyDetails"] = "PKIX_ED25519"
    with pytest.raises(InputError, match="keyDetails"):
        rekor_dsse.body(req)


def _forged(body, change):
    doc = copy.deepcopy(body)
    change(doc["spec"]["dsseV002"])
    return doc["spec"]


@pytest.mark.parametrize("change, reason", [
    (lambda s: s.update(payloadHash={"algorithm": "SHA2_256", "digest": base64.b64encode(b"\0" * 32).decode()}),
     "payloadHash"),
    (lambda s: s["payloadHash"].update(algorithm="SHA2_384"), "payloadHash"),
    (lambda s: s.update(signatures=[]), "no signature"),
    (lambda s: s["signatures"][0].update(content=base64.b64encode(b"\1" * 64).decode()), "not one of the envelope's"),
    (lambda s: s["signatures"][0]["verifier"].update(keyDetails="PKIX_ECDSA_P384_SHA_384"), "keyDetails"),
    (lambda s: s["signatures"][0]["verifier"].update(publicKey={"rawBytes": "not base64!"}), "no public key"),
    (lambda s: s["signatures"][0]["verifier"].update(publicKey={"rawBytes": base64.b64encode(b"junk").decode()}),
     "does not decode"),
    (lambda s: s["signatures"][0]["verifier"].update(publicKey={"rawBytes": base64.b64encode(
        ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()}),
     "does not verify"),
    (lambda s: s.pop("signatures"), "no signature"),
])
def test_an_entry_recording_anything_else_is_refused(change, reason):
    env, pem, _ = signed("p256")
    body = rekor_dsse.body(rekor_dsse.request(env, pem))
    assert reason in rekor_dsse.mismatch(_forged(body, change), stored(env))


def test_another_envelope_is_refused():
    env, pem, _ = signed("ed25519")
    other, _, _ = signed("ed25519", payload=b"{}")
    body = rekor_dsse.body(rekor_dsse.request(env, pem))
    assert "payloadHash" in rekor_dsse.mismatch(body["spec"], stored(other))
    assert "no dsseV002" in rekor_dsse.mismatch({"hashedRekordV002": {}}, stored(env))
