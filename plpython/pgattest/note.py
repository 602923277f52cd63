"""C2SP signed notes, transparency-log checkpoints and witness cosignatures.

Specifications: c2sp.org/signed-note, c2sp.org/tlog-checkpoint, c2sp.org/tlog-cosignature;
the parser follows golang.org/x/mod/sumdb/note's Open:

- A note is UTF-8 text without ASCII control characters other than newline. The last
  blank line ("\\n\\n") separates the note text (which keeps its final newline) from one
  or more signature lines "— <name> <base64(4-byte key id || signature)>\\n". Key names
  are non-empty, without Unicode spaces or "+". At most 100 signatures (the spec asks
  verifiers to cap them and to accept at least 16; 100 is sumdb/note's cap).
- Base64 is standard (RFC 4648 section 4) with padding, and must be canonical.
- A checkpoint's note text is origin, decimal tree size (no leading zeros, at most
  2^63-1), base64 root hash (32 bytes), then optional non-empty extension lines.

Verification: signatures whose key do not match the given key are ignored. The
result is True when at least one signature line matches and every matching line
verifies; a matching line that fails makes the result False (signed-note: "If a signature
from a known key fails to verify, clients SHOULD reject the whole note").

Key ids: Ed25519 (type 0x01) SHA-256(name || 0x0A || 0x01 || key)[:4]; Ed25519 witness
cosignature/v1 (type 0x04) the same with 0x04; Rekor v1 ECDSA P-256 SHA-256(DER SPKI)[:4].
A C2SP key (Ed25519) is matched by (name, key id): the name is part of its id. A Rekor v1
ECDSA key is matched by its 4-byte key hint alone, as rekor, sigstore-go and
sigstore-python do: its id does not cover the name, and Rekor v1 deployments sign with
names other than the host of their URL ("localhost:8000", a pod name).

Malformed input raises InputError: SQLSTATE 22P02 for text that does not decode (base64,
hex, UTF-8, PEM), 22023 for anything else; 22004 for a NULL argument.
"""

import base64
import binascii
import functools
import hashlib
import re

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dh, dsa, ec, ed448, ed25519, rsa, x448, x25519

from . import keys
from .errors import INVALID_PARAMETER, INVALID_TEXT, NULL_NOT_ALLOWED, InputError

MAX_SIGNATURES = 100
MAX_INT64 = (1 << 63) - 1
SIG_PREFIX = "\u2014 "  # em dash, space
KEY_TYPE_ED25519 = 0x01
KEY_TYPE_COSIGNATURE_V1 = 0x04
KEY_TYPES = {KEY_TYPE_ED25519: "Ed25519", KEY_TYPE_COSIGNATURE_V1: "Ed25519 cosignature/v1"}

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")
_HEX8 = re.compile("[0-9a-fA-F]{8}")

_NOTE_HINT = ("A signed note is text ending in a newline, a blank line, then lines "
              "'\u2014 <key name> <base64 signature>' each ending in a newline (c2sp.org/signed-note).")
_CHECKPOINT_HINT = ("A checkpoint's text is the origin line, the decimal tree size, the base64 "
                    "root hash, then optional non-empty extension lines (c2sp.org/tlog-checkpoint).")
_VKEY_HINT = "A verifier key reads <name>+<8 hex digit key id>+<base64 of type byte || public key>."


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _fail(message, hint=None, sqlstate=INVALID_PARAMETER):
    raise InputError(message, sqlstate=sqlstate, hint=hint)


# --- argument helpers ------------------------------------------------------------------

def _text_arg(value, name):
    """value as a str that is valid UTF-8 (bytes are decoded strictly)."""
    if value is None:
        _fail("%s must not be NULL" % name, sqlstate=NULL_NOT_ALLOWED)
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            _fail("%s is not valid UTF-8 (byte offset %d)" % (name, exc.start), sqlstate=INVALID_TEXT)
    if not isinstance(value, str):
        _fail("%s must be text, got %s" % (name, type(value).__name__))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        _fail("%s is not valid UTF-8 (lone surrogate at offset %d)" % (name, exc.start),
              sqlstate=INVALID_TEXT)
    return value


def _bytes_arg(value, name, size=None):
    if value is None:
        _fail("%s must not be NULL" % name, sqlstate=NULL_NOT_ALLOWED)
    if isinstance(value, (bytearray, memoryview)):
        value = bytes(value)
    if not isinstance(value, bytes):
        _fail("%s must be bytes, got %s" % (name, type(value).__name__))
    if size is not None and len(value) != size:
        _fail("%s must be %d bytes, got %d" % (name, size, len(value)))
    return value


def _is_valid_name(name):
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def _name_arg(value, what):
    if not _is_valid_name(value):
        _fail("%s must be non-empty without spaces or '+', got %s" % (what, _short(value)),
              hint="Key names are like example.com/log (c2sp.org/signed-note).")
    return value


def _b64decode(text, what, hint=None):
    """Strict, canonical standard base64 -> bytes, or InputError 22P02."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = None
    if raw is None or base64.b64encode(raw).decode("ascii") != text:
        _fail("%s is not valid base64: %s" % (what, _short(text)), hint=hint, sqlstate=INVALID_TEXT)
    return raw


# --- key ids ---------------------------------------------------------------------------

def _key_id(name, key_type, pubkey):
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([key_type]) + pubkey).digest()[:4]


def key_id_ed25519(name, pubkey_bytes):
    """Signed-note Ed25519 key id: SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4]."""
    name = _name_arg(_text_arg(name, "name"), "name")
    return _key_id(name, KEY_TYPE_ED25519, _bytes_arg(pubkey_bytes, "pubkey_bytes", 32))


def key_id_cosignature(name, pubkey_bytes):
    """tlog-cosignature/v1 key id: SHA-256(name || 0x0A || 0x04 || 32-byte Ed25519 key)[:4]."""
    name = _name_arg(_text_arg(name, "name"), "name")
    return _key_id(name, KEY_TYPE_COSIGNATURE_V1, _bytes_arg(pubkey_bytes, "pubkey_bytes", 32))


def key_id_spki(spki_der):
    """Rekor v1 / type 0x02 ECDSA key id: SHA-256(DER SubjectPublicKeyInfo)[:4]."""
    return hashlib.sha256(_bytes_arg(spki_der, "spki_der")).digest()[:4]


def format_vkey(name, key_type, pubkey_bytes):
    """The C2SP verifier key string name+hexkeyid+base64(type || key)."""
    name = _name_arg(_text_arg(name, "name"), "name")
    if type(key_type) is not int or key_type not in KEY_TYPES:
        _fail("key_type must be 0x01 (Ed25519) or 0x04 (cosignature/v1), got %s" % _short(key_type))
    pub = _bytes_arg(pubkey_bytes, "pubkey_bytes", 32)
    return "%s+%s+%s" % (name, _key_id(name, key_type, pub).hex(),
                         base64.b64encode(bytes([key_type]) + pub).decode("ascii"))


def cosignature_message(text, timestamp):
    """The bytes an Ed25519 cosignature/v1 signs: header, time line, then the note text."""
    text = _text_arg(text, "text")
    if type(timestamp) is not int or not 0 <= timestamp <= MAX_INT64:
        _fail("timestamp must be an integer in [0, 2^63-1], got %s" % _short(timestamp))
    return b"cosignature/v1\ntime %d\n" % timestamp + text.encode("utf-8")


# --- parsing ---------------------------------------------------------------------------

def parse_note(text):
    """Parse a signed note (no verification).

    Returns {'text': the signed text (str, ending in a newline),
             'signatures': [{'name': str, 'key_id': 4 bytes, 'signature': bytes}]}.
    """
    text = _text_arg(text, "note")
    bad = _CONTROL.search(text)
    if bad:
        _fail("note contains control character U+%04X at offset %d (only newline is allowed)"
              % (ord(bad.group()), bad.start()), hint=_NOTE_HINT)
    split = text.rfind("\n\n")
    if split < 0:
        _fail("note has no blank line separating its text from the signature lines", hint=_NOTE_HINT)
    body, block = text[:split + 1], text[split + 2:]
    if not block:
        _fail("note has no signature lines after its last blank line", hint=_NOTE_HINT)
    if not block.endswith("\n"):
        _fail("note must end with a newline, got ...%s" % _short(block[-20:]), hint=_NOTE_HINT)
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        _fail("note has %d signature lines, at most %d are accepted" % (len(lines), MAX_SIGNATURES),
              hint=_NOTE_HINT)
    signatures = []
    for number, line in enumerate(lines, 1):
        if not line.startswith(SIG_PREFIX):
            _fail("note signature line %d must start with an em dash and a space, got %s"
                  % (number, _short(line)), hint=_NOTE_HINT)
        name, _, b64 = line[len(SIG_PREFIX):].partition(" ")
        _name_arg(name, "note signature line %d key name" % number)
        if not b64:
            _fail("note signature line %d has no signature after key name %s" % (number, _short(name)),
                  hint=_NOTE_HINT)
        raw = _b64decode(b64, "note signature line %d signature" % number, hint=_NOTE_HINT)
        if len(raw) < 5:
            _fail("note signature line %d signature must be at least 5 bytes (key id and "
                  "signature), got %d" % (number, len(raw)), hint=_NOTE_HINT)
        signatures.append({"name": name, "key_id": raw[:4], "signature": raw[4:]})
    return {"text": body, "signatures": signatures}


def _checkpoint_fields(body):
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        _fail("checkpoint text must have at least 3 lines (origin, tree size, root hash), got %d"
              % len(lines), hint=_CHECKPOINT_HINT)
    origin, size_text, root_text = lines[:3]
    extensions = lines[3:]
    if not origin:
        _fail("checkpoint origin (line 1) must not be empty", hint=_CHECKPOINT_HINT)
    if not (size_text.isascii() and size_text.isdigit()):
        _fail("checkpoint tree size (line 2) must be a decimal number, got %s" % _short(size_text),
              hint=_CHECKPOINT_HINT, sqlstate=INVALID_TEXT)
    if len(size_text) > 1 and size_text[0] == "0":
        _fail("checkpoint tree size (line 2) must not have leading zeros, got %s" % _short(size_text),
              hint=_CHECKPOINT_HINT)
    if len(size_text) > 19 or int(size_text) > MAX_INT64:
        _fail("checkpoint tree size (line 2) must be at most 2^63-1, got %s" % _short(size_text),
              hint=_CHECKPOINT_HINT)
    root = _b64decode(root_text, "checkpoint root hash (line 3)", hint=_CHECKPOINT_HINT)
    if len(root) != 32:
        _fail("checkpoint root hash (line 3) must be 32 bytes, got %d" % len(root),
              hint=_CHECKPOINT_HINT)
    for number, line in enumerate(extensions, 4):
        if not line:
            _fail("checkpoint extension line %d must not be empty" % number, hint=_CHECKPOINT_HINT)
    return origin, int(size_text), root, extensions


def parse_checkpoint(text):
    """Parse a C2SP checkpoint (no verification).

    Returns {'origin', 'tree_size': int, 'root_hash': 32 bytes, 'extensions': [str],
             'signatures': [{'name', 'key_id': 8 hex digits, 'signature': base64}]}.
    """
    note = parse_note(text)
    origin, tree_size, root, extensions = _checkpoint_fields(note["text"])
    return {
        "origin": origin,
        "tree_size": tree_size,
        "root_hash": root,
        "extensions": extensions,
        "signatures": [{"name": s["name"], "key_id": s["key_id"].hex(),
                        "signature": base64.b64encode(s["signature"]).decode("ascii")}
                       for s in note["signatures"]],
    }


def parse_vkey(vkey):
    """Parse a C2SP verifier key name+hexkeyid+base64(type || key).

    Returns {'name', 'key_id': 4 bytes, 'type': int, 'public_key': 32 bytes}. Supports
    0x01 (Ed25519) and 0x04 (Ed25519 cosignature/v1); the key id must match the key.
    """
    vkey = _text_arg(vkey, "vkey")
    name, sep1, rest = vkey.partition("+")
    hex_id, sep2, b64 = rest.partition("+")
    if not (sep1 and sep2):
        _fail("vkey must have the form name+keyid+key, got %s" % _short(vkey), hint=_VKEY_HINT)
    _name_arg(name, "vkey name")
    if not _HEX8.fullmatch(hex_id):
        _fail("vkey key id must be 8 hex digits, got %s" % _short(hex_id), hint=_VKEY_HINT,
              sqlstate=INVALID_TEXT)
    key = _b64decode(b64, "vkey key", hint=_VKEY_HINT)
    if not key:
        _fail("vkey key must not be empty", hint=_VKEY_HINT)
    key_type, public_key = key[0], key[1:]
    if key_type not in KEY_TYPES:
        _fail("vkey key type 0x%02x is not supported (supported: 0x01 Ed25519, "
              "0x04 Ed25519 cosignature/v1)" % key_type, hint=_VKEY_HINT)
    if len(public_key) != 32:
        _fail("vkey %s public key must be 32 bytes, got %d" % (KEY_TYPES[key_type], len(public_key)),
              hint=_VKEY_HINT)
    computed = _key_id(name, key_type, public_key)
    if computed != bytes.fromhex(hex_id):
        _fail("vkey key id %s does not match its key (computed %s)" % (hex_id, computed.hex()),
              hint="The key id is SHA-256(name || 0x0A || type || key)[:4] (c2sp.org/signed-note).")
    return {"name": name, "key_id": computed, "type": key_type, "public_key": public_key}


# --- verification ----------------------------------------------------------------------

def _matching_verify(note, name, key_id, verify):
    """True iff some signature line is by (name, key_id) and all such lines verify; name
    None matches any name (a Rekor v1 key hint does not cover the name)."""
    message = note["text"].encode("utf-8")
    found = False
    for sig in note["signatures"]:
        if (name is None or sig["name"] == name) and sig["key_id"] == key_id:
            if not verify(message, sig["signature"]):
                return False
            found = True
    return found


def _ed25519_verifier(public_key):
    key = ed25519.Ed25519PublicKey.from_public_bytes(public_key)

    def verify(message, signature):
        if len(signature) != 64:
            return False
        try:
            key.verify(signature, message)
        except InvalidSignature:
            return False
        return True
    return verify


def _cosignature_verifier(public_key):
    ed = _ed25519_verifier(public_key)

    def verify(message, signature):
        if len(signature) != 72:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_INT64:
            return False
        return ed(b"cosignature/v1\ntime %d\n" % timestamp + message, signature[8:])
    return verify


def _vkey_verifier(v):
    if v["type"] == KEY_TYPE_COSIGNATURE_V1:
        return _cosignature_verifier(v["public_key"])
    return _ed25519_verifier(v["public_key"])


def verify_note_vkey(text, vkey):
    """True iff the note carries a valid signature by the verifier key vkey."""
    v = parse_vkey(vkey)
    note = parse_note(text)
    return _matching_verify(note, v["name"], v["key_id"], _vkey_verifier(v))


def verify_checkpoint_vkey(text, vkey):
    """verify_note_vkey for a note that must also parse as a checkpoint."""
    v = parse_vkey(vkey)
    note = parse_note(text)
    _checkpoint_fields(note["text"])
    return _matching_verify(note, v["name"], v["key_id"], _vkey_verifier(v))


_KEY_TYPE_NAMES = (
    (rsa.RSAPublicKey, "RSA"), (dsa.DSAPublicKey, "DSA"), (dh.DHPublicKey, "DH"),
    (ed448.Ed448PublicKey, "Ed448"), (x25519.X25519PublicKey, "X25519"), (x448.X448PublicKey, "X448"),
)


def load_pem_key(public_key_pem, key_name):
    """(key id, verify(message, signature), name to match or None) for an ECDSA P-256 or
    Ed25519 PEM public key: an ECDSA (Rekor v1) key id is a hint that does not cover the
    name, so its signature lines are matched by key id alone (None)."""
    pem = _text_arg(public_key_pem, "public_key_pem").encode("utf-8")
    try:
        key = keys.pem_public_key(pem)
    except UnsupportedAlgorithm as exc:
        _fail("public_key_pem uses an unsupported key algorithm: %s" % exc,
              hint="Only ECDSA P-256 (Rekor v1) and Ed25519 (Rekor v2) keys are supported.")
    except (ValueError, TypeError):
        _fail("public_key_pem is not a PEM-encoded public key (-----BEGIN PUBLIC KEY-----)",
              hint="Pass the log's SubjectPublicKeyInfo in PEM form.", sqlstate=INVALID_TEXT)
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            _fail("public_key_pem is an ECDSA key on curve %s; only P-256 (secp256r1) is supported"
                  % key.curve.name, hint="Rekor v1 checkpoints are signed with ECDSA P-256.")
        spki = key.public_bytes(serialization.Encoding.DER,
                                serialization.PublicFormat.SubjectPublicKeyInfo)
        algorithm = ec.ECDSA(hashes.SHA256())

        def verify(message, signature):
            try:
                key.verify(signature, message, algorithm)
            except (InvalidSignature, ValueError):
                return False
            return True
        return hashlib.sha256(spki).digest()[:4], verify, None
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return _key_id(key_name, KEY_TYPE_ED25519, raw), _ed25519_verifier(raw), key_name
    kind = next((label for cls, label in _KEY_TYPE_NAMES if isinstance(key, cls)),
                type(key).__name__)
    _fail("public_key_pem is a %s key; only ECDSA P-256 and Ed25519 are supported" % kind,
          hint="Rekor v1 logs sign checkpoints with ECDSA P-256, Rekor v2 logs with Ed25519.")


# A verdict on (note, key) never changes, and the entries a log integrates together
# share one checkpoint: remember verdicts (only of well-formed input: errors raise).
@functools.lru_cache(maxsize=1024)
def _verify_checkpoint_pem_cached(text, key_name, public_key_pem, origin):
    return _verify_checkpoint_pem(text, key_name, public_key_pem, origin)


def verify_checkpoint_pem(text, key_name, public_key_pem, origin=None):
    """See _verify_checkpoint_pem; memoised for hashable (string) arguments."""
    if (isinstance(text, str) and isinstance(key_name, str) and isinstance(public_key_pem, str)
            and (origin is None or isinstance(origin, str))):
        return _verify_checkpoint_pem_cached(text, key_name, public_key_pem, origin)
    return _verify_checkpoint_pem(text, key_name, public_key_pem, origin)


def verify_checkpoint_pem_origin(text, key_name, public_key_pem, origin):
    """verify_checkpoint_pem that also requires the checkpoint's origin (line 1) to be
    origin, as transparency-dev/formats' log.ParseCheckpoint does (the SQL overload)."""
    _text_arg(origin, "origin")
    return verify_checkpoint_pem(text, key_name, public_key_pem, origin)


def _verify_checkpoint_pem(text, key_name, public_key_pem, origin=None):
    """True iff the checkpoint carries a valid signature by the PEM key (and, when origin is
    given, its origin line is origin).

    ECDSA P-256 (Rekor v1): lines with key hint SHA-256(DER SPKI)[:4], whatever their name
    (key_name is still checked as a name), DER ECDSA-SHA256 signature over the note text.
    Ed25519 (Rekor v2): lines named key_name with the signed-note Ed25519 key id of key_name.
    """
    note = parse_note(text)
    cp_origin = _checkpoint_fields(note["text"])[0]
    key_name = _name_arg(_text_arg(key_name, "key_name"), "key_name")
    key_id, verify, match_name = load_pem_key(public_key_pem, key_name)
    if origin is not None and cp_origin != origin:
        return False
    return _matching_verify(note, match_name, key_id, verify)


def pem_key_id(public_key_pem, key_name):
    """The 4-byte key id (hex) signature lines of the PEM key carry, and the name they must
    have (None: any), for error messages naming what was looked for."""
    key_id, _, match_name = load_pem_key(public_key_pem, key_name)
    return key_id.hex(), match_name
