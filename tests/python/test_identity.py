"""Signer identities of Rekor entry bodies (pgattest.identity), outside the database."""

import base64
import datetime
import hashlib
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pgattest import identity
from tests.support.watchlist_helpers import bundle_bodies, key_pair, key_signed_body


def certificate(extensions, sans=()):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime(2026, 1, 1)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "t")]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "t")]))
               .public_key(key.public_key()).serial_number(1)
               .not_valid_before(now).not_valid_after(now + datetime.timedelta(minutes=10)))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    for oid, raw in extensions:
        builder = builder.add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(oid), raw), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return cert, hashlib.sha256(der).hexdigest()


def body_with_cert(cert):
    pem = cert.public_bytes(serialization.Encoding.PEM)
    return json.dumps({"kind": "dsse", "spec": {"signatures": [
        {"signature": "x", "verifier": base64.b64encode(pem).decode()}]}}).encode()


def test_every_shared_bundle_names_a_certificate_identity():
    bodies = bundle_bodies()
    assert len(bodies) >= 5
    for name, body in bodies.items():
        rows = identity.entry_identities(body)
        assert rows and all(r["kind"] == "certificate" and r["oidc_issuer"] and r["san"] for r in rows), name


def test_issuer_v2_extension_is_preferred_and_v1_is_the_fallback():
    v2 = b"\x0c" + bytes([len("https://v2.example")]) + b"https://v2.example"
    cert, fp = certificate([("1.3.6.1.4.1.57264.1.1", b"https://v1.example"), ("1.3.6.1.4.1.57264.1.8", v2)],
                           [x509.UniformResourceIdentifier("https://github.com/a/b"), x509.RFC822Name("x@y.z")])
    rows = identity.entry_identities(body_with_cert(cert))
    assert rows == [
        {"kind": "certificate", "san_type": "uri", "san": "https://github.com/a/b", "oidc_issuer": "https://v2.example",
         "key_fingerprint": fp},
        {"kind": "certificate", "san_type": "email", "san": "x@y.z", "oidc_issuer": "https://v2.example",
         "key_fingerprint": fp}]
    cert, _ = certificate([("1.3.6.1.4.1.57264.1.1", b"https://v1.example")])
    assert identity.entry_identities(body_with_cert(cert))[0]["oidc_issuer"] == "https://v1.example"
    assert identity.entry_identities(body_with_cert(cert))[0]["san"] is None
    cert, _ = certificate([("1.3.6.1.4.1.57264.1.8", b"\x04\x02no")])  # not a UTF8String: no issuer
    assert identity.entry_identities(body_with_cert(cert))[0]["oidc_issuer"] is None


def test_key_signed_bodies_v1_and_v2_give_the_fingerprint():
    _, pem, fp = key_pair()
    assert identity.entry_identities(key_signed_body(pem)) == [
        {"kind": "key", "san_type": None, "san": None, "oidc_issuer": None, "key_fingerprint": fp}]
    der = serialization.load_pem_public_key(pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    v2 = json.dumps({"spec": {"hashedRekordV002": {"signature": {"verifier": {
        "publicKey": {"rawBytes": base64.b64encode(der).decode()}}}}}}).encode()
    assert identity.entry_identities(v2)[0]["key_fingerprint"] == fp


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", json.dumps({"spec": {"publicKey": {"content": "!!"}}}).encode(),
                                  json.dumps({"spec": {"verifier": base64.b64encode(b"-----BEGIN CERTIFICATE-----\nxx").decode()}}).encode()])
def test_bodies_without_a_parsable_verifier_yield_no_identity(body):
    assert identity.entry_identities(body) == []


# --- hostile certificates: the entry was verified by the log; its identities must stay storable.
# jsonb holds no NUL (\u0000 is refused with 22P05) and the wrapper maps an exception that is
# not an InputError to XX000: either one aborted the insert of the Rekor entry and with it the
# completion batch.

V1_OID, V2_OID, SPARE_OID = "1.3.6.1.4.1.57264.1.1", "1.3.6.1.4.1.57264.1.8", "1.3.6.1.4.1.57264.1.9"


def json_storable(cert):
    text = identity.entry_identities_json(body_with_cert(cert))
    assert "\\u0000" not in text and "\x00" not in text
    return json.loads(text)


def patched(cert, old, new):
    """The certificate's DER with one byte string replaced (its signature no longer holds:
    the extraction never checks it, the log's verification did)."""
    der = cert.public_bytes(serialization.Encoding.DER)
    assert der.count(old) == 1
    return x509.load_der_x509_certificate(der.replace(old, new))


def body_with_der(cert):
    der = cert.public_bytes(serialization.Encoding.DER)
    return json.dumps({"spec": {"x509Certificate": {"rawBytes": base64.b64encode(der).decode()}}}).encode()


def test_nul_bytes_in_an_issuer_or_a_san_are_replaced_not_stored():
    v2 = b"\x0c\x0bhttps://a\x00b"
    for extensions, issuer in (([(V1_OID, b"https://a\x00b")], "https://a\ufffdb"), ([(V2_OID, v2)], "https://a\ufffdb")):
        cert, fp = certificate(extensions, [x509.RFC822Name("x\x00@y.z"), x509.UniformResourceIdentifier("https://g/\x00")])
        rows = json_storable(cert)
        assert rows == [
            {"kind": "certificate", "san_type": "uri", "san": "https://g/\ufffd", "oidc_issuer": issuer, "key_fingerprint": fp},
            {"kind": "certificate", "san_type": "email", "san": "x\ufffd@y.z", "oidc_issuer": issuer, "key_fingerprint": fp}]


def test_a_duplicated_extension_keeps_the_key_fingerprint():
    # Two issuer extensions (the builder refuses a duplicate, so the second OID is patched).
    cert, fp = certificate([(V2_OID, b"\x0c\x01a"), (SPARE_OID, b"\x0c\x01b")], [x509.RFC822Name("x@y.z")])
    hostile = patched(cert, bytes.fromhex("2b0601040183bf300109"), bytes.fromhex("2b0601040183bf300108"))
    with pytest.raises(x509.DuplicateExtension):
        hostile.extensions  # what escaped as XX000
    for body in (body_with_cert(hostile), body_with_der(hostile)):
        rows = json.loads(identity.entry_identities_json(body))
        assert rows == [{"kind": "certificate", "san_type": None, "san": None, "oidc_issuer": None, "key_fingerprint": fp}]


def test_an_unsupported_general_name_keeps_the_key_fingerprint():
    # cryptography parses every extension at once: the issuer is lost with the SANs.
    # A registeredID SAN re-tagged as an x400Address, which cryptography refuses to parse.
    cert, fp = certificate([(V1_OID, b"https://v1.example")], [x509.RegisteredID(x509.ObjectIdentifier("1.2.3"))])
    hostile = patched(cert, bytes.fromhex("88022a03"), bytes.fromhex("a3022a03"))
    with pytest.raises(x509.UnsupportedGeneralNameType):
        hostile.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    rows = json.loads(identity.entry_identities_json(body_with_cert(hostile)))
    assert rows == [{"kind": "certificate", "san_type": None, "san": None, "oidc_issuer": None, "key_fingerprint": fp}]
