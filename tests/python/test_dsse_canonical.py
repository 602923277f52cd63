"""DSSE (PAE, envelopes, every key type) and RFC 8785 canonical JSON, outside the database."""

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from pgattest import canonical, dsse
from pgattest.errors import INVALID_PARAMETER, INVALID_TEXT, InputError

PAYLOAD = b'{"_type":"https://in-toto.io/Statement/v1","subject":[]}'
TYPE = "application/vnd.in-toto+json"


def pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def sign(kind, key, message):
    if kind == "p256":
        return key.sign(message, ec.ECDSA(hashes.SHA256()))
    if kind == "p384":
        return key.sign(message, ec.ECDSA(hashes.SHA384()))
    if kind == "ed25519":
        return key.sign(message)
    if kind == "rsa-pkcs1":
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    if kind == "rsa-pss":
        return key.sign(message, padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.MAX_LENGTH), hashes.SHA256())
    if kind == "p256-raw":
        r, s = utils.decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    raise AssertionError(kind)


KEYS = {
    "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "p384": lambda: ec.generate_private_key(ec.SECP384R1()),
    "ed25519": ed25519.Ed25519PrivateKey.generate,
    "rsa-pkcs1": lambda: rsa.generate_private_key(65537, 2048),
    "rsa-pss": lambda: rsa.generate_private_key(65537, 2048),
    "p256-raw": lambda: ec.generate_private_key(ec.SECP256R1()),
}


def envelope(sig, urlsafe=False, payload=PAYLOAD, payload_type=TYPE):
    enc = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    strip = (lambda b: b.rstrip(b"=")) if urlsafe else (lambda b: b)
    return json.dumps({"payloadType": payload_type, "payload": strip(enc(payload)).decode(),
                       "signatures": [{"keyid": "k", "sig": strip(enc(sig)).decode()}]})


def test_pae_matches_the_specification_example():
    assert dsse.pae("http://example.com/HelloWorld", b"hello world") == \
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    assert dsse.pae("t\u00e9", b"") == b"DSSEv1 3 t\xc3\xa9 0 "


@pytest.mark.parametrize("kind", sorted(KEYS))
@pytest.mark.parametrize("urlsafe", [False, True])
def test_every_key_type_and_alphabet_verifies_and_tampering_fails(kind, urlsafe):
    key = KEYS[kind]()
    sig = sign(kind, key, dsse.pae(TYPE, PAYLOAD))
    assert dsse.verify_envelope(envelope(sig, urlsafe), pem(key)) is True
    assert dsse.verify_envelope(envelope(sig, urlsafe, payload=PAYLOAD + b" "), pem(key)) is False
    assert dsse.verify_envelope(envelope(sig, urlsafe, payload_type=TYPE + "x"), pem(key)) is False
    flipped = bytearray(sig)
    flipped[len(flipped) // 2] ^= 1
    assert dsse.verify_envelope(envelope(bytes(flipped), urlsafe), pem(key)) is False
    assert dsse.verify_envelope(envelope(sig, urlsafe), pem(KEYS[kind]())) is False, "another key"


def test_any_one_valid_signature_suffices():
    key = ec.generate_private_key(ec.SECP256R1())
    good = base64.b64encode(sign("p256", key, dsse.pae(TYPE, PAYLOAD))).decode()
    env = {"payloadType": TYPE, "payload": base64.b64encode(PAYLOAD).decode(),
           "signatures": [{"keyid": "other", "sig": base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01\x01").decode()},
                          {"keyid": "mine", "sig": good}]}
    assert dsse.verify_envelope(json.dumps(env), pem(key)) is True


def test_real_sigstore_dsse_envelope(shared):
    bundle = json.loads((shared / "vectors" / "sigstore" / "a.dsse.staging-rekor-v2.txt.sigstore.json").read_text())
    cert = x509.load_der_x509_certificate(base64.b64decode(bundle["verificationMaterial"]["certificate"]["rawBytes"]))
    key_pem = cert.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    env = bundle["dsseEnvelope"]
    assert dsse.verify_envelope(json.dumps(env), key_pem) is True
    env["payloadType"] = "application/vnd.in-toto+jsonx"
    assert dsse.verify_envelope(json.dumps(env), key_pem) is False


@pytest.mark.parametrize("bad,state", [
    ("not json", INVALID_TEXT), ("[]", INVALID_PARAMETER), ('{"payload": "e30=", "signatures": [{"sig": "AA=="}]}', INVALID_PARAMETER),
    ('{"payloadType": "t", "signatures": [{"sig": "AA=="}]}', INVALID_PARAMETER),
    ('{"payloadType": "t", "payload": "e30=", "signatures": []}', INVALID_PARAMETER),
    ('{"payloadType": "t", "payload": "e30=", "signatures": [{}]}', INVALID_PARAMETER),
    ('{"payloadType": "t", "payload": "***", "signatures": [{"sig": "AA=="}]}', INVALID_TEXT),
    ('{"payloadType": "t", "payload": "e30=", "signatures": [{"sig": "***"}]}', INVALID_TEXT),
])
def test_malformed_envelopes_raise_typed_errors(bad, state):
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(InputError) as exc:
        dsse.verify_envelope(bad, pem(key))
    assert exc.value.sqlstate == state


def test_bad_keys_raise_typed_errors():
    env = envelope(b"\x00" * 64)
    with pytest.raises(InputError) as exc:
        dsse.verify_envelope(env, "not a pem")
    assert exc.value.sqlstate == INVALID_TEXT
    p521 = ec.generate_private_key(ec.SECP521R1())
    with pytest.raises(InputError) as exc:
        dsse.verify_envelope(env, pem(p521))
    assert exc.value.sqlstate == INVALID_PARAMETER


# --- RFC 8785 ---------------------------------------------------------------------

@pytest.mark.parametrize("doc,expected", [
    # RFC 8785 section 3.2.2.3 / appendix B number forms.
    ("[1E30, 4.50, 2e-3, 1E-27, 0.000001, 1e21, 1e20, -0, 333333333.33333329]",
     "[1e+30,4.5,0.002,1e-27,0.000001,1e+21,100000000000000000000,0,333333333.3333333]"),
    ('{"\\u20ac": 1, "\\r": 2, "1": 3, "\\ud83d\\ude00": 4, "\\u0080": 5, "\\u00f6": 6}',
     '{"\\r":2,"1":3,"\u0080":5,"\u00f6":6,"\u20ac":1,"\U0001f600":4}'),  # UTF-16 code unit order
    ('"\\u0000\\u001f\\"\\\\/\\u007f"', '"\\u0000\\u001f\\"\\\\/\u007f"'),
    ('{ "b" : [ true , false , null ] , "a" : { } }', '{"a":{},"b":[true,false,null]}'),
])
def test_rfc8785_examples(doc, expected):
    assert canonical.canonicalize(doc) == expected


def test_long_integers_round_like_doubles():
    assert canonical.canonicalize("[12345678901234567890]") == canonical.canonicalize("[1.2345678901234567e19]")
    assert canonical.canonicalize("[-9007199254740991, 9007199254740993]") == "[-9007199254740991,9007199254740992]"
    assert canonical.canonicalize("[" + "1" * 300 + "]") == canonical.canonicalize("[" + "1" * 300 + ".0]")


def test_content_id_ignores_order_and_whitespace_only():
    a = canonical.content_id('{"x": 1, "y": [1, 2]}')
    assert a == canonical.content_id('{\n "y": [1.0, 2],\n "x": 1\n}')
    assert a != canonical.content_id('{"x": 1, "y": [2, 1]}')
    assert a.startswith("sha256:") and len(a) == 71


@pytest.mark.parametrize("bad,state", [
    ('{"a": 1, "a": 2}', INVALID_PARAMETER), ("[1e400]", INVALID_PARAMETER), ('["\\ud800"]', INVALID_PARAMETER),
    ("NaN", INVALID_TEXT), ("[Infinity]", INVALID_TEXT), ('{"a": ', INVALID_TEXT), ("", INVALID_TEXT), ("[" * 100000, INVALID_PARAMETER),
    # Issue 15 item 9: more digits than Python's int() converts (4,300) was an untyped XX000.
    ("[" + "9" * 5000 + "]", INVALID_PARAMETER), ('{"n": -' + "1" * 4301 + "}", INVALID_PARAMETER),
])
def test_canonical_rejections(bad, state):
    with pytest.raises(InputError) as exc:
        canonical.canonicalize(bad)
    assert exc.value.sqlstate == state
