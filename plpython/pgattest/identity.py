"""Signer identities of a stored Rekor entry, for the identity watchlist (issue 18).

A Rekor entry body names its signer either by a public key (key-signed entries) or by a
certificate (Fulcio keyless signing). Every verifier in the body is found by walking the
JSON rather than by kind, so hashedrekord, dsse and intoto bodies of Rekor v1 (base64 PEM
in `publicKey.content`, `publicKey`, `verifier`) and v2 (`x509Certificate.rawBytes`,
`publicKey.rawBytes`, DER) are all read by the same code.

For a key: its fingerprint, the hex SHA-256 of the DER SubjectPublicKeyInfo (the key id
proofchain.trust_anchors uses, so the database joins the matching trust anchor). For a
certificate: the fingerprint of its key too, each URI and email subject alternative name,
and the OIDC issuer from the Fulcio extensions: 1.3.6.1.4.1.57264.1.8 (a DER UTF8String,
current) or else 1.3.6.1.4.1.57264.1.1 (the raw string, deprecated).

The watchlist never blocks storing an entry: a body or verifier that does not parse
yields no identity from that verifier (the entry itself was verified before it was
stored), rather than an error. The same holds for a hostile certificate: extensions that
cryptography refuses (a duplicated extension, a SAN of a type it does not support) leave
the certificate's key fingerprint without issuer or SAN, and a NUL in an issuer or a SAN
(which jsonb cannot hold: 22P05 would abort the completion) becomes U+FFFD, as an
undecodable byte does. Replaced rather than dropped: the rest of the value stays visible
to the watchlist rules, so a NUL is no way to slip a SAN past them.
"""

import base64
import binascii
import hashlib
import json

from cryptography import x509
from cryptography.hazmat.primitives import serialization

OIDC_ISSUER_V1 = x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.1")
OIDC_ISSUER_V2 = x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.8")

# Identity values longer than this are cut (a SAN can be long; rules are at most 256 chars).
MAX_VALUE = 1024

# What cryptography 38 raises for extensions it will not parse: neither is a ValueError.
BAD_EXTENSIONS = (x509.DuplicateExtension, x509.UnsupportedGeneralNameType, ValueError)


def _clean(value):
    """value cut to MAX_VALUE, with NUL (which PostgreSQL text and jsonb cannot hold) as U+FFFD."""
    return value[:MAX_VALUE].replace("\x00", "\ufffd")


def _b64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return None


def _der_utf8string(raw):
    """The text of a DER UTF8String (tag 12), or None."""
    if len(raw) < 2 or raw[0] != 0x0C:
        return None
    length, offset = raw[1], 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or len(raw) < 2 + n:
            return None
        length, offset = int.from_bytes(raw[2:2 + n], "big"), 2 + n
    if len(raw) != offset + length:
        return None
    try:
        return raw[offset:].decode("utf-8")
    except UnicodeDecodeError:
        return None


def _fingerprint(public_key):
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def _tlv(buf, pos):
    """(tag, content start, end) of the DER element at pos."""
    tag, length, pos = buf[pos], buf[pos + 1], pos + 2
    if length & 0x80:
        n = length & 0x7F
        length, pos = int.from_bytes(buf[pos:pos + n], "big"), pos + n
    return tag, pos, pos + length


def _certificate_spki(cert):
    """The DER SubjectPublicKeyInfo of a certificate, read from its TBSCertificate: the 7th
    field counting the optional [0] version (loading the key and re-encoding it costs
    about 2 ms with python3-cryptography 38, most of the extraction)."""
    tbs = cert.tbs_certificate_bytes
    _, pos, end = _tlv(tbs, 0)
    fields = []
    while pos < end and len(fields) < 7:
        tag, start, stop = _tlv(tbs, pos)
        fields.append((tag, tbs[pos:stop]))
        pos = stop
    if fields and fields[0][0] != 0xA0:  # version omitted (v1)
        fields.insert(0, (0xA0, b""))
    if len(fields) < 7 or fields[6][0] != 0x30:
        raise ValueError("no SubjectPublicKeyInfo")
    return fields[6][1]


def _oidc_issuer(extensions):
    for oid, decode in ((OIDC_ISSUER_V2, _der_utf8string),
                        (OIDC_ISSUER_V1, lambda raw: raw.decode("utf-8", "replace"))):
        try:
            ext = extensions.get_extension_for_oid(oid)
        except x509.ExtensionNotFound:
            continue
        raw = getattr(ext.value, "value", None)
        if isinstance(raw, bytes):
            value = decode(raw)
            if value:
                return _clean(value)
    return None


def certificate_identities(cert):
    """Rows for one certificate: one per URI or email SAN (one row without a SAN if none)."""
    try:
        fingerprint = hashlib.sha256(_certificate_spki(cert)).hexdigest()
    except (ValueError, IndexError):
        fingerprint = _fingerprint(cert.public_key())
    issuer, sans = None, []
    try:
        extensions = cert.extensions  # parsed all at once: one bad extension loses them all
        issuer = _oidc_issuer(extensions)
        ext = extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans += [("uri", v) for v in ext.get_values_for_type(x509.UniformResourceIdentifier)]
        sans += [("email", v) for v in ext.get_values_for_type(x509.RFC822Name)]
    except x509.ExtensionNotFound:
        pass
    except BAD_EXTENSIONS:
        issuer, sans = None, []
    rows = [{"kind": "certificate", "san_type": t, "san": _clean(v), "oidc_issuer": issuer,
             "key_fingerprint": fingerprint} for t, v in sans]
    return rows or [{"kind": "certificate", "san_type": None, "san": None, "oidc_issuer": issuer,
                     "key_fingerprint": fingerprint}]


def _from_pem(pem):
    if b"-----BEGIN CERTIFICATE-----" in pem:
        return certificate_identities(x509.load_pem_x509_certificate(pem))
    if b"-----BEGIN PUBLIC KEY-----" in pem:
        key = serialization.load_pem_public_key(pem)
        return [{"kind": "key", "san_type": None, "san": None, "oidc_issuer": None,
                 "key_fingerprint": _fingerprint(key)}]
    return []


def _verifiers(node, parent=None):
    """(kind, bytes) of every verifier in a Rekor body: 'pem', 'cert-der' or 'key-der'."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                if key == "rawBytes" and parent in ("x509Certificate", "publicKey"):
                    raw = _b64(value)
                    if raw:
                        yield ("cert-der" if parent == "x509Certificate" else "key-der"), raw
                elif key in ("content", "publicKey", "verifier"):
                    raw = _b64(value)
                    if raw and raw.lstrip().startswith(b"-----BEGIN"):
                        yield "pem", raw
            else:
                yield from _verifiers(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from _verifiers(item, parent)


def entry_identities(body):
    """Identity rows of a Rekor entry body (bytes of canonical JSON), without duplicates."""
    try:
        document = json.loads(bytes(body))
    except (ValueError, TypeError):
        return []
    rows, seen = [], set()
    for kind, raw in _verifiers(document):
        try:
            if kind == "pem":
                found = _from_pem(raw)
            elif kind == "cert-der":
                found = certificate_identities(x509.load_der_x509_certificate(raw))
            else:
                serialization.load_der_public_key(raw)  # a key indeed; its DER is the SPKI
                found = [{"kind": "key", "san_type": None, "san": None, "oidc_issuer": None,
                          "key_fingerprint": hashlib.sha256(raw).hexdigest()}]
        except (ValueError, TypeError):  # not a certificate or key after all
            continue
        for row in found:
            marker = tuple(sorted(row.items()))
            if marker not in seen:
                seen.add(marker)
                rows.append(row)
    return rows


def entry_identities_json(body):
    """entry_identities as a JSON array (the SQL wrapper returns jsonb)."""
    return json.dumps(entry_identities(body))
