"""pgattest.note: real Sigstore checkpoints, C2SP signed-note grammar, keys, fuzzing."""

import base64
import json
from urllib.parse import urlparse

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgattest import note
from pgattest.errors import INVALID_PARAMETER, INVALID_TEXT, NULL_NOT_ALLOWED, InputError

EM = "\u2014"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Public verifier keys of the three witnesses that cosigned the rekor-tiles staging
# checkpoint in a.dsse.staging-rekor-v2.txt.sigstore.json, as their operators publish
# them (the trusted roots do not list witnesses). Their key ids match the signature
# lines, and parse_vkey checks that each id is the hash of its key.
WITNESS_VKEYS = [
    "witness.navigli.sunlight.geomys.org+a3e00fe2+BNy/co4C1Hn1p+INwJrfUlgz7W55dSZReusH/GhUhJ/G",
    "witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv",
    "staging.witness.transparency.goog/ring-any-bells+2e1a8dc9+BG5JTpLc3FJtwzgh1Uv+Qelz9qeOH2bfWjS1s0s+y4rL",
]
# The rekor-tiles log2025-alpha3 vkey as published (for tools such as tilepecker).
ALPHA3_VKEY = "log2025-alpha3.rekor.sigstage.dev+d3d3a70c+AZQ93VXPMmj9uZj7U/7CefQ9yy8RgYFv6mKzOseipjqp"


def sqlstate_of(fn, *args):
    with pytest.raises(InputError) as e:
        fn(*args)
    assert e.value.message
    return e.value.sqlstate


# --- real checkpoints from Sigstore bundles --------------------------------------------

def _real_checkpoints(shared):
    """[(file, checkpoint text, key name, PEM, trusted-root tlog entry, inclusion proof)]."""
    folder = shared / "vectors" / "sigstore"
    logs = {}
    for f in ("staging_trusted_root.json", "prod_trusted_root.json"):
        for t in json.loads((folder / f).read_text())["tlogs"]:
            logs[t["logId"]["keyId"]] = t
    out = []
    for f in sorted(folder.glob("*.sigstore*")):
        for e in json.loads(f.read_text())["verificationMaterial"]["tlogEntries"]:
            proof = e["inclusionProof"]
            text = proof.get("checkpoint", {}).get("envelope")
            if not text:
                continue
            log = logs[e["logId"]["keyId"]]
            der = base64.b64decode(log["publicKey"]["rawBytes"])
            pem = serialization.load_der_public_key(der).public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
            # The signing key's name is the log's host: Rekor v1 origins read
            # "<host> - <tree id>", Rekor v2 origins are the host itself.
            out.append((f.name, text, urlparse(log["baseUrl"]).hostname, pem, log, proof))
    return out


@pytest.fixture(scope="module")
def real(shared):
    cps = _real_checkpoints(shared)
    kinds = {log["publicKey"]["keyDetails"] for _, _, _, _, log, _ in cps}
    assert len(cps) == 7 and kinds == {"PKIX_ECDSA_P256_SHA_256", "PKIX_ED25519"}
    return cps


def test_real_checkpoints_parse(real):
    for name, text, key_name, pem, log, proof in real:
        cp = note.parse_checkpoint(text)
        assert cp["tree_size"] == int(proof["treeSize"]), name
        assert cp["root_hash"] == base64.b64decode(proof["rootHash"]), name
        assert cp["origin"].startswith(key_name), name
        sig = cp["signatures"][0]
        assert sig["name"] == key_name
        # The checkpoint key id is the first 4 bytes of the bundle's log id.
        assert bytes.fromhex(sig["key_id"]) == base64.b64decode(log["logId"]["keyId"])[:4]
        parsed = note.parse_note(text)
        assert parsed["text"].endswith("\n") and text.startswith(parsed["text"] + "\n")
    v1 = [t for n, t, *_ in real if n == "bundle.txt.sigstore"][0]
    assert note.parse_checkpoint(v1)["extensions"] == ["Timestamp: 1682468469199678948"]


def test_real_checkpoints_verify_pem(real):
    other = {pem for *_, pem, _, _ in real}
    for name, text, key_name, pem, log, _ in real:
        assert note.verify_checkpoint_pem(text, key_name, pem) is True, name
        assert note.verify_checkpoint_pem(text.encode(), key_name, pem.encode()) is True
        # A Rekor v1 (ECDSA) key hint does not cover the name (rekor, sigstore-go and
        # sigstore-python match by hint alone); a C2SP Ed25519 key id does.
        v1 = log["publicKey"]["keyDetails"] == "PKIX_ECDSA_P256_SHA_256"
        assert note.verify_checkpoint_pem(text, key_name + "x", pem) is v1, name
        for wrong in other - {pem}:
            assert note.verify_checkpoint_pem(text, key_name, wrong) is False, name
        # one flipped byte in the signature (after the key id)
        assert note.verify_checkpoint_pem(_flip_sig(text, 0, 10), key_name, pem) is False, name
        # one changed character in the body: the tree size
        lines = text.split("\n")
        lines[1] = str(int(lines[1]) + 1)
        assert note.verify_checkpoint_pem("\n".join(lines), key_name, pem) is False, name


def test_rekor_v2_and_witness_vkeys(real):
    v2 = [(n, t, k, log) for n, t, k, _, log, _ in real
          if log["publicKey"]["keyDetails"] == "PKIX_ED25519"]
    assert len(v2) == 2
    for name, text, key_name, log in v2:
        raw = serialization.load_der_public_key(
            base64.b64decode(log["publicKey"]["rawBytes"])).public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        vkey = note.format_vkey(key_name, 0x01, raw)
        assert note.verify_checkpoint_vkey(text, vkey) is True
        assert note.verify_note_vkey(text, vkey) is True
        assert note.verify_checkpoint_vkey(_flip_sig(text, 0, 3), vkey) is False
        if name.startswith("a.dsse"):
            assert vkey == ALPHA3_VKEY
            assert len(note.parse_note(text)["signatures"]) == 4
            for w in WITNESS_VKEYS:
                parsed = note.parse_vkey(w)
                assert parsed["type"] == 0x04
                assert note.verify_checkpoint_vkey(text, w) is True, w
                # the cosignature covers the body: any change breaks it
                assert note.verify_checkpoint_vkey(text.replace("4026479", "4026478"), w) is False
            for i in (1, 2, 3):  # flip a byte of the Ed25519 signature, of the timestamp
                w = _vkey_for(text, i)
                assert note.verify_checkpoint_vkey(_flip_sig(text, i, 20), w) is False
                assert note.verify_checkpoint_vkey(_flip_sig(text, i, 3), w) is False


def _vkey_for(text, line):
    name = note.parse_note(text)["signatures"][line]["name"]
    return next(w for w in WITNESS_VKEYS if w.startswith(name + "+"))


def _flip_sig(text, line, offset):
    """text with one byte flipped in signature line `line`, `offset` bytes after the key id."""
    body, _, block = text.rpartition("\n\n")
    lines = block[:-1].split("\n")
    name, b64 = lines[line][2:].split(" ")
    raw = bytearray(base64.b64decode(b64))
    raw[4 + offset] ^= 0x01
    lines[line] = "%s %s %s" % (EM, name, base64.b64encode(bytes(raw)).decode())
    return body + "\n\n" + "\n".join(lines) + "\n"


# --- own keys: round trips -------------------------------------------------------------

def sign_line(name, key_id, signature):
    return "%s %s %s\n" % (EM, name, base64.b64encode(key_id + signature).decode())


def ed_key(name):
    priv = ed25519.Ed25519PrivateKey.generate()
    pub = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return priv, pub, note.format_vkey(name, 0x01, pub)


def ed_sign(text, name, priv, pub):
    return sign_line(name, note.key_id_ed25519(name, pub), priv.sign(text.encode()))


def cosign(text, name, priv, pub, timestamp):
    sig = priv.sign(note.cosignature_message(text, timestamp))
    return sign_line(name, note.key_id_cosignature(name, pub), timestamp.to_bytes(8, "big") + sig)


BODY = "example.com/log42\n20852163\n" + base64.b64encode(bytes(range(32))).decode() + "\n"


def test_ed25519_round_trip():
    priv, pub, vkey = ed_key("example.com/log42")
    parsed = note.parse_vkey(vkey)
    assert parsed == {"name": "example.com/log42", "key_id": note.key_id_ed25519("example.com/log42", pub),
                      "type": 1, "public_key": pub}
    signed = BODY + "\n" + ed_sign(BODY, "example.com/log42", priv, pub)
    assert note.verify_checkpoint_vkey(signed, vkey) is True
    assert note.parse_note(signed)["text"] == BODY
    # Unknown keys are ignored, before and after.
    other_priv, other_pub, other_vkey = ed_key("other.example")
    both = BODY + "\n" + ed_sign(BODY, "other.example", other_priv, other_pub) + \
        ed_sign(BODY, "example.com/log42", priv, pub)
    assert note.verify_checkpoint_vkey(both, vkey) is True
    assert note.verify_checkpoint_vkey(both, other_vkey) is True
    # Same name, other key id; same key id, other name: both ignored -> no match -> False.
    impostor = BODY + "\n" + ed_sign(BODY, "example.com/log42", other_priv, other_pub)
    assert note.verify_checkpoint_vkey(impostor, vkey) is False
    renamed = BODY + "\n" + sign_line("example.com/log43", note.key_id_ed25519("example.com/log42", pub),
                                      priv.sign(BODY.encode()))
    assert note.verify_checkpoint_vkey(renamed, vkey) is False
    # A signature by the known key that fails makes the note fail, even next to a good one.
    bad = BODY + "\n" + ed_sign(BODY, "example.com/log42", priv, pub) + \
        sign_line("example.com/log42", note.key_id_ed25519("example.com/log42", pub), b"\x00" * 64)
    assert note.verify_checkpoint_vkey(bad, vkey) is False
    # Wrong-length signature from the known key: False, not an error.
    short = BODY + "\n" + sign_line("example.com/log42", note.key_id_ed25519("example.com/log42", pub), b"x")
    assert note.verify_checkpoint_vkey(short, vkey) is False
    # Flipped body byte.
    assert note.verify_checkpoint_vkey(signed.replace("20852163", "20852164"), vkey) is False


def test_general_note_with_blank_lines():
    priv, pub, vkey = ed_key("quasimodo.example/salvatore")
    text = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n"
    signed = text + "\n" + ed_sign(text, "quasimodo.example/salvatore", priv, pub)
    assert note.parse_note(signed)["text"] == text
    assert note.verify_note_vkey(signed, vkey) is True
    with pytest.raises(InputError):  # not a checkpoint: the size line is not a number
        note.verify_checkpoint_vkey(signed, vkey)


def test_go_sumdb_example():
    # The example note and verifier key from golang.org/x/mod/sumdb/note.
    vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    msg = ("If you think cryptography is the answer to your problem,\n"
           "then you don't know what your problem is.\n\n"
           "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
    assert note.verify_note_vkey(msg, vkey) is True
    assert note.verify_note_vkey(msg.replace("problem,", "problem;"), vkey) is False


def test_cosignature_round_trip():
    name = "witness.example.com/w1"
    priv = ed25519.Ed25519PrivateKey.generate()
    pub = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    vkey = note.format_vkey(name, 0x04, pub)
    assert vkey.split("+")[1] == note.key_id_cosignature(name, pub).hex()
    assert note.key_id_cosignature(name, pub) != note.key_id_ed25519(name, pub)
    assert note.cosignature_message("a\n", 1679315147) == b"cosignature/v1\ntime 1679315147\na\n"
    log_priv, log_pub, log_vkey = ed_key("example.com/log42")
    signed = BODY + "\n" + ed_sign(BODY, "example.com/log42", log_priv, log_pub) + \
        cosign(BODY, name, priv, pub, 1679315147)
    assert note.verify_checkpoint_vkey(signed, vkey) is True
    assert note.verify_checkpoint_vkey(signed, log_vkey) is True
    # The same key as a plain Ed25519 vkey has another key id: no matching line.
    assert note.verify_checkpoint_vkey(signed, note.format_vkey(name, 0x01, pub)) is False
    # Signature over the note text without the cosignature header does not verify.
    plain = BODY + "\n" + sign_line(name, note.key_id_cosignature(name, pub),
                                    (5).to_bytes(8, "big") + priv.sign(BODY.encode()))
    assert note.verify_checkpoint_vkey(plain, vkey) is False
    # Timestamp changed after signing; timestamp above 2^63-1.
    forged = BODY + "\n" + sign_line(name, note.key_id_cosignature(name, pub),
                                     (1679315148).to_bytes(8, "big")
                                     + priv.sign(note.cosignature_message(BODY, 1679315147)))
    assert note.verify_checkpoint_vkey(forged, vkey) is False
    huge = (1 << 63).to_bytes(8, "big")
    msg = b"cosignature/v1\ntime %d\n" % (1 << 63) + BODY.encode()
    too_late = BODY + "\n" + sign_line(name, note.key_id_cosignature(name, pub), huge + priv.sign(msg))
    assert note.verify_checkpoint_vkey(too_late, vkey) is False
    # Extension lines are covered by the cosignature.
    ext = BODY + "ext line\n"
    signed_ext = ext + "\n" + cosign(ext, name, priv, pub, 7)
    assert note.verify_checkpoint_vkey(signed_ext, vkey) is True
    assert note.verify_checkpoint_vkey(signed_ext.replace("ext line", "ext lime"), vkey) is False


def test_pem_keys_own():
    name = "log.example"
    ecpriv = ec.generate_private_key(ec.SECP256R1())
    pem = ecpriv.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    der = ecpriv.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    sig = ecpriv.sign(BODY.encode(), ec.ECDSA(hashes.SHA256()))
    signed = BODY + "\n" + sign_line(name, note.key_id_spki(der), sig)
    assert note.verify_checkpoint_pem(signed, name, pem) is True
    garbage = BODY + "\n" + sign_line(name, note.key_id_spki(der), b"\x30\x02garbage")
    assert note.verify_checkpoint_pem(garbage, name, pem) is False

    edpriv, edpub, _ = ed_key(name)
    edpem = edpriv.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    assert note.verify_checkpoint_pem(BODY + "\n" + ed_sign(BODY, name, edpriv, edpub), name, edpem) is True


def test_pem_key_errors():
    rsa_pem = rsa.generate_private_key(65537, 1024).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    ed448_pem = ed448.Ed448PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    signed = BODY + "\n" + sign_line("x", b"abcd", b"sig")
    for pem, word in ((rsa_pem, "RSA"), (p384, "secp384r1"), (ed448_pem, "Ed448")):
        with pytest.raises(InputError) as e:
            note.verify_checkpoint_pem(signed, "x", pem)
        assert e.value.sqlstate == INVALID_PARAMETER and word in e.value.message and e.value.hint
    for junk in ("", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"):
        assert sqlstate_of(note.verify_checkpoint_pem, signed, "x", junk) == INVALID_TEXT
    assert sqlstate_of(note.verify_checkpoint_pem, signed, "bad name", rsa_pem) == INVALID_PARAMETER


# --- the grammar: malformed notes and checkpoints --------------------------------------

SIG = sign_line("example.com/log42", b"\x01\x02\x03\x04", b"\x05" * 64)
GOOD = BODY + "\n" + SIG


def test_good_forms_parse():
    cp = note.parse_checkpoint(GOOD)
    assert cp["origin"] == "example.com/log42" and cp["tree_size"] == 20852163
    assert cp["root_hash"] == bytes(range(32)) and cp["extensions"] == []
    assert cp["signatures"] == [{"name": "example.com/log42", "key_id": "01020304",
                                 "signature": base64.b64encode(b"\x05" * 64).decode()}]
    assert note.parse_note(GOOD)["signatures"][0]["key_id"] == b"\x01\x02\x03\x04"
    zero = "o\n0\n" + base64.b64encode(bytes(32)).decode() + "\n\n" + SIG
    assert note.parse_checkpoint(zero)["tree_size"] == 0
    top = "o\n9223372036854775807\n" + base64.b64encode(bytes(32)).decode() + "\n\n" + SIG
    assert note.parse_checkpoint(top)["tree_size"] == (1 << 63) - 1
    assert len(note.parse_note(BODY + "\n" + SIG * 100)["signatures"]) == 100
    assert note.parse_note(BODY + "\n" + sign_line("n", b"abcd", b"s"))["signatures"][0]["signature"] == b"s"


ROOT = base64.b64encode(bytes(range(32))).decode()


@pytest.mark.parametrize("text, sqlstate, words", [
    (BODY + SIG, INVALID_PARAMETER, "blank line"),                                 # no blank line
    (BODY + "\n", INVALID_PARAMETER, "no signature lines"),                          # nothing after it
    (GOOD[:-1], INVALID_PARAMETER, "must end with a newline"),                      # missing final newline
    (GOOD + "\n", INVALID_PARAMETER, "no signature lines"),                          # trailing blank line
    (GOOD + "trailing\n", INVALID_PARAMETER, "em dash"),                             # trailing garbage
    (BODY + "\n" + "- example.com/log42 AQIDBAU=\n", INVALID_PARAMETER, "em dash"),  # hyphen, not em dash
    (BODY + "\n" + EM + "example.com/log42 AQIDBAU=\n", INVALID_PARAMETER, "em dash"),
    (BODY + "\n" + EM + " example.com/log42\n", INVALID_PARAMETER, "no signature"),
    (BODY + "\n" + EM + " example.com/log42 AQIDBA==\n", INVALID_PARAMETER, "at least 5 bytes"),
    (BODY + "\n" + EM + " example.com/log42 AQID!AU=\n", INVALID_TEXT, "not valid base64"),
    (BODY + "\n" + EM + " example.com/log42 AQIDBAU\n", INVALID_TEXT, "not valid base64"),  # no padding
    (BODY + "\n" + EM + " example.com/log42 AQIDBAV=\n", INVALID_TEXT, "not valid base64"),  # non-canonical
    (BODY + "\n" + EM + " example.com/log42  AQIDBAU=\n", INVALID_TEXT, "not valid base64"),
    (BODY + "\n" + EM + " bad+name AQIDBAU=\n", INVALID_PARAMETER, "without spaces or '+'"),
    (BODY + "\n" + EM + " \u00a0name AQIDBAU=\n", INVALID_PARAMETER, "without spaces or '+'"),
    (BODY + "\n" + EM + "  AQIDBAU=\n", INVALID_PARAMETER, "without spaces or '+'"),  # empty name
    (BODY + "\n" + SIG * 101, INVALID_PARAMETER, "at most 100"),
    (BODY.replace("\n", "\r\n", 1) + "\n" + SIG, INVALID_PARAMETER, "control character U+000D"),
    ("\tx\n" + GOOD, INVALID_PARAMETER, "control character U+0009"),
    (b"o\n1\n\xff\n\n" + SIG.encode(), INVALID_TEXT, "UTF-8"),
    ("o\ud800\n1\n" + ROOT + "\n\n" + SIG, INVALID_TEXT, "UTF-8"),
    (None, NULL_NOT_ALLOWED, "must not be NULL"),
    (42, INVALID_PARAMETER, "must be text"),
])
def test_malformed_notes(text, sqlstate, words):
    for fn in (note.parse_note, note.parse_checkpoint):
        with pytest.raises(InputError) as e:
            fn(text)
        assert e.value.sqlstate == sqlstate and words in e.value.message, e.value.message
        assert e.value.hint or sqlstate != INVALID_PARAMETER or "must be text" in words


@pytest.mark.parametrize("body, sqlstate, words", [
    ("o\n1\n", INVALID_PARAMETER, "at least 3 lines"),
    ("\n1\n" + ROOT + "\n", INVALID_PARAMETER, "origin (line 1) must not be empty"),
    ("o\n01\n" + ROOT + "\n", INVALID_PARAMETER, "leading zeros"),
    ("o\n00\n" + ROOT + "\n", INVALID_PARAMETER, "leading zeros"),
    ("o\n+1\n" + ROOT + "\n", INVALID_TEXT, "decimal number"),
    ("o\n-1\n" + ROOT + "\n", INVALID_TEXT, "decimal number"),
    ("o\n1_0\n" + ROOT + "\n", INVALID_TEXT, "decimal number"),
    ("o\n \n" + ROOT + "\n", INVALID_TEXT, "decimal number"),
    ("o\n\u0661\n" + ROOT + "\n", INVALID_TEXT, "decimal number"),   # Arabic-Indic digit one
    ("o\n9223372036854775808\n" + ROOT + "\n", INVALID_PARAMETER, "at most 2^63-1"),
    ("o\n99999999999999999999999\n" + ROOT + "\n", INVALID_PARAMETER, "at most 2^63-1"),
    ("o\n1\n" + ROOT[:-1] + "\n", INVALID_TEXT, "root hash (line 3) is not valid base64"),
    ("o\n1\n" + base64.b64encode(bytes(31)).decode() + "\n", INVALID_PARAMETER, "must be 32 bytes, got 31"),
    ("o\n1\n" + ROOT + " \n", INVALID_TEXT, "not valid base64"),
    ("o\n1\n" + ROOT + "\next\n\nmore\n", INVALID_PARAMETER, "extension line 5 must not be empty"),
])
def test_malformed_checkpoints(body, sqlstate, words):
    text = body + "\n" + SIG
    note.parse_note(text)  # a fine note...
    with pytest.raises(InputError) as e:  # ...but not a checkpoint
        note.parse_checkpoint(text)
    assert e.value.sqlstate == sqlstate and words in e.value.message, e.value.message
    priv, pub, vkey = ed_key("n")
    with pytest.raises(InputError):
        note.verify_checkpoint_vkey(text, vkey)


def test_vkeys():
    priv, pub, vkey = ed_key("example.com/log42")
    name, hex_id, b64 = vkey.split("+", 2)  # base64 may contain '+' too
    assert note.parse_vkey("%s+%s+%s" % (name, hex_id.upper(), b64))["key_id"].hex() == hex_id
    wrong_id = "%08x" % (int(hex_id, 16) ^ 1)
    cases = [
        ("%s+%s+%s" % (name, wrong_id, b64), INVALID_PARAMETER, "does not match"),
        ("other.example+%s+%s" % (hex_id, b64), INVALID_PARAMETER, "does not match"),
        ("%s+%s+%s" % (name, hex_id[:7], b64), INVALID_TEXT, "8 hex digits"),
        ("%s+%sg+%s" % (name, hex_id[:7], b64), INVALID_TEXT, "8 hex digits"),
        ("%s+%s+%s" % (name, hex_id, b64[:-1]), INVALID_TEXT, "not valid base64"),
        ("%s+%s" % (name, hex_id), INVALID_PARAMETER, "name+keyid+key"),
        ("just-a-name", INVALID_PARAMETER, "name+keyid+key"),
        ("+%s+%s" % (hex_id, b64), INVALID_PARAMETER, "vkey name"),
        ("%s+%s+" % (name, hex_id), INVALID_PARAMETER, "must not be empty"),
        ("%s+%s+%s" % (name, hex_id, base64.b64encode(b"\x01" + pub[:31]).decode()), INVALID_PARAMETER,
         "must be 32 bytes, got 31"),
        (None, NULL_NOT_ALLOWED, "NULL"),
    ]
    for type_byte, label in ((0x02, "0x02"), (0x05, "0x05"), (0x06, "0x06"), (0xFF, "0xff")):
        key = bytes([type_byte]) + pub
        kid = note._key_id(name, type_byte, pub).hex()
        cases.append(("%s+%s+%s" % (name, kid, base64.b64encode(key).decode()), INVALID_PARAMETER,
                      "key type %s is not supported" % label))
    for bad, sqlstate, words in cases:
        with pytest.raises(InputError) as e:
            note.parse_vkey(bad)
        assert e.value.sqlstate == sqlstate and words in e.value.message, (bad, e.value.message)
        with pytest.raises(InputError):
            note.verify_note_vkey(GOOD, bad)


def test_key_id_helpers():
    pub = bytes(range(32))
    import hashlib
    assert note.key_id_ed25519("n", pub) == hashlib.sha256(b"n\n\x01" + pub).digest()[:4]
    assert note.key_id_cosignature("n", pub) == hashlib.sha256(b"n\n\x04" + pub).digest()[:4]
    assert note.key_id_spki(b"der") == hashlib.sha256(b"der").digest()[:4]
    for args in (("n", pub[:31]), ("a b", pub), ("", pub), (None, pub), ("n", None)):
        with pytest.raises(InputError):
            note.key_id_ed25519(*args)


# --- fuzz: any input gives a bool or InputError ----------------------------------------

def outcome(fn, *args):
    try:
        result = fn(*args)
    except InputError as exc:
        assert exc.sqlstate in (INVALID_PARAMETER, INVALID_TEXT, NULL_NOT_ALLOWED)
        return "InputError"
    return result


_ED_PRIV = ed25519.Ed25519PrivateKey.generate()
_ED_PUB = _ED_PRIV.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
_VKEY = note.format_vkey("example.com/log42", 0x01, _ED_PUB)
_SIGNED = BODY + "\n" + ed_sign(BODY, "example.com/log42", _ED_PRIV, _ED_PUB)
_PEM = _ED_PRIV.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo).decode()

ANY = st.one_of(st.none(), st.integers(), st.binary(max_size=60), st.text(max_size=60),
                st.sampled_from([GOOD, _SIGNED, _VKEY, _PEM, "example.com/log42"]),
                st.lists(st.integers(), max_size=3), st.floats())


@settings(max_examples=400, deadline=None)
@given(ANY, ANY, ANY)
def test_fuzz_any_argument(a, b, c):
    for fn, args in ((note.parse_note, (a,)), (note.parse_checkpoint, (a,)), (note.parse_vkey, (a,)),
                     (note.verify_note_vkey, (a, b)), (note.verify_checkpoint_vkey, (a, b)),
                     (note.verify_checkpoint_pem, (a, b, c)),
                     (note.verify_checkpoint_pem, (_SIGNED, "example.com/log42", a))):
        got = outcome(fn, *args)
        if fn.__name__.startswith("verify"):
            assert got in (True, False, "InputError")


_EDIT_CHARS = st.sampled_from(["\n", " ", EM, "+", "=", "0", "A", "/", "\t", "\u00e9", "-"])


@SETTINGS
@given(st.data())
def test_fuzz_mutated_checkpoint(data):
    """Random edits of a signed checkpoint: never a stray exception; an edit in the
    signed text never verifies."""
    text = _SIGNED
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        ch = data.draw(_EDIT_CHARS)
        if op == "insert":
            text = text[:pos] + ch + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + 1:]
        else:
            text = text[:pos] + ch + text[pos + 1:]
    for fn, args in ((note.verify_checkpoint_vkey, (text, _VKEY)), (note.verify_note_vkey, (text, _VKEY)),
                     (note.verify_checkpoint_pem, (text, "example.com/log42", _PEM))):
        got = outcome(fn, *args)
        assert got in (True, False, "InputError")
        if got is True:
            assert note.parse_note(text)["text"] == BODY
    outcome(note.parse_checkpoint, text)


@SETTINGS
@given(st.lists(st.tuples(st.text(min_size=0, max_size=12), st.binary(min_size=0, max_size=80)),
                min_size=1, max_size=5), st.text(max_size=80))
def test_fuzz_structured_notes(sigs, body):
    text = body + "\n\n" + "".join("%s %s %s\n" % (EM, n, base64.b64encode(s).decode()) for n, s in sigs)
    got = outcome(note.parse_note, text)
    if got != "InputError":
        assert got["text"].endswith("\n")
    assert outcome(note.verify_note_vkey, text, _VKEY) in (False, "InputError")


_EC_PRIV = ec.generate_private_key(ec.SECP256R1())
_EC_PEM = _EC_PRIV.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo).decode()
_EC_KID = note.key_id_spki(_EC_PRIV.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


@SETTINGS
@given(st.one_of(st.binary(min_size=1, max_size=90),
                 st.binary(max_size=70).map(lambda b: b"\x30" + bytes([len(b)]) + b)))
def test_fuzz_ecdsa_signature_bytes(sig):
    """Any signature bytes from the known ECDSA key: False, never an exception."""
    text = BODY + "\n" + sign_line("log.example", _EC_KID, sig)
    assert note.verify_checkpoint_pem(text, "log.example", _EC_PEM) is False
    ed = BODY + "\n" + sign_line("example.com/log42", note.key_id_ed25519("example.com/log42", _ED_PUB), sig)
    assert note.verify_checkpoint_vkey(ed, _VKEY) is False
