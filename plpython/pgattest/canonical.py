"""RFC 8785 (JSON Canonicalization Scheme) from a document's text, and content ids.

The serialization is the `rfc8785` package's; this module parses the text strictly
first, rejecting what JCS cannot represent (duplicate keys, NaN and infinities, numbers
beyond IEEE 754 doubles, lone surrogates) instead of silently changing it.
"""

import hashlib
import json
import math

import rfc8785

from .errors import INVALID_TEXT, InputError


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise InputError(f"duplicate key {key[:80]!r} in JSON object",
                             hint="RFC 8785 canonical JSON requires unique member names.")
        obj[key] = value
    return obj


def _reject_constant(name):
    raise InputError(f"{name} is not JSON", sqlstate=INVALID_TEXT, hint="JSON has no NaN or Infinity literals.")


def _float(text):
    value = float(text)
    if math.isinf(value):
        raise InputError(f"number {text[:40]} is outside the IEEE 754 double range",
                         hint="RFC 8785 represents numbers as IEEE 754 doubles.")
    return value


def _int(text):
    # More than 16 digits is beyond the safe integers (2**53 - 1 has 16): JCS serializes it
    # as the double it rounds to. Checked on the text first, because int() refuses more than
    # 4,300 digits with a ValueError (an untyped XX000 in the database); float() of such a
    # text is inf, refused by _float with 22023.
    if len(text.lstrip("-")) > 16:
        return _float(text)
    value = int(text)
    if abs(value) > 2 ** 53 - 1:
        return _float(text)
    return value


def _check_strings(value):
    """Lone surrogates cannot be encoded as UTF-8, so JCS cannot represent them."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError("JSON string contains a lone surrogate", hint="Strings must be valid Unicode.") from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_strings(k)
            _check_strings(v)
    elif isinstance(value, list):
        for v in value:
            _check_strings(v)


def parse(doc):
    """The JSON value of doc (text), strictly parsed."""
    if not isinstance(doc, str):
        raise InputError("JSON document must be text", sqlstate=INVALID_TEXT, hint="Pass the document's text.")
    try:
        value = json.loads(doc, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant,
                           parse_float=_float, parse_int=_int)
    except RecursionError:
        raise InputError("JSON document is nested too deeply", hint="Flatten the document.") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         sqlstate=INVALID_TEXT, hint="Pass a complete JSON document.") from None
    _check_strings(value)
    return value


def canonicalize_bytes(doc):
    try:
        return rfc8785.dumps(parse(doc))
    except rfc8785.CanonicalizationError as exc:
        raise InputError(f"JSON cannot be canonicalized: {str(exc)[:200]}", hint="See RFC 8785 section 3.2.") from None
    except RecursionError:
        raise InputError("JSON document is nested too deeply", hint="Flatten the document.") from None


def canonicalize(doc):
    """RFC 8785 canonical text of the JSON document text."""
    return canonicalize_bytes(doc).decode("utf-8")


def content_id(doc):
    """'sha256:' + hex SHA-256 of the canonical UTF-8 form."""
    return "sha256:" + hashlib.sha256(canonicalize_bytes(doc)).hexdigest()
