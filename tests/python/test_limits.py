"""pgattest.limits: input sizes checked before parsing (issue 15 item 7), outside the database."""

import pytest

from pgattest import limits, sqlapi
from pgattest.errors import INVALID_PARAMETER, PROGRAM_LIMIT_EXCEEDED, InputError


def settings(**values):
    return lambda name: values.get(name)


# Entries that parse no document a client sends whole, each with the reason. Every other
# entry must be in limits.LIMITS: a new entry point fails here until it is classified.
UNLIMITED = {
    "rfc6962_leaf_hash": "hashes bytes once, no parsing",
    "rfc6962_node_hash": "two 32-byte hashes",
    "verify_inclusion": "hash arrays, linear; sizes bounded by the proof's height",
    "verify_consistency": "hash arrays, linear; sizes bounded by the proof's height",
    "public_key_info": "a PEM key, parsed by OpenSSL in linear memory",
    "log_key": "a PEM key, parsed by OpenSSL in linear memory",
    "verify_stored_completions": "rows the database already parsed (jsonb); entries were limited on the way in",
    "spine_root": "hash segments, linear",
    "vex_mappings": "no input",
    "load_all": "no input",
    "entry_identities": "the body of an entry being stored (verified on the way in); a trigger that must not fail storage",
    "ledger_tree_roots": "leaf hashes the database read from the ledger, linear",
    "ledger_inclusion_proof": "leaf hashes the database read from the ledger, linear",
    "ledger_consistency_proof": "leaf hashes the database read from the ledger, linear",
}


def test_every_entry_is_limited_or_exempt_with_a_reason():
    assert set(limits.LIMITS) <= set(sqlapi.ENTRIES)
    assert not set(limits.LIMITS) & set(UNLIMITED)
    unclassified = set(sqlapi.ENTRIES) - set(limits.LIMITS) - set(UNLIMITED)
    assert not unclassified, f"entries neither size-limited (pgattest.limits.LIMITS) nor exempt here: {unclassified}"


def test_defaults_outside_a_server():
    assert limits.limit("document") == 16 * 1024 * 1024
    assert limits.limit("note") == 1024 * 1024
    limits.check("content_id", ("x" * 1000,))


def test_sizes_count_utf8_bytes_not_characters():
    read = settings(**{"pgattest.max_document_bytes": "10"})
    limits.check("content_id", ("é" * 5,), read)  # 10 bytes
    with pytest.raises(InputError) as exc:
        limits.check("content_id", ("é" * 6,), read)  # 12 bytes, 6 characters
    assert exc.value.sqlstate == PROGRAM_LIMIT_EXCEEDED
    assert exc.value.message == "document of 12 bytes is over the limit of 10 bytes (pgattest.max_document_bytes)"
    with pytest.raises(InputError):
        limits.check("dsse_pae", ("type", b"x" * 11), settings(**{"pgattest.max_envelope_bytes": "10"}))


def test_a_setting_counts_only_up_to_the_ceiling_and_must_be_a_byte_count():
    assert limits.limit("note", settings(**{"pgattest.max_note_bytes": str(10 ** 15)})) == 4 * 1024 * 1024
    for bad in ("lots", "-1", "0", "1e6"):
        with pytest.raises(InputError) as exc:
            limits.limit("note", settings(**{"pgattest.max_note_bytes": bad}))
        assert exc.value.sqlstate == INVALID_PARAMETER
    assert limits.limit("note", settings(**{"pgattest.max_note_bytes": ""})) == 1024 * 1024


def test_the_dispatcher_checks_before_calling():
    class Plpy:
        class Error(Exception):
            pass

        def error(self, message, sqlstate=None, **_):
            raise self.Error(sqlstate, message)

    call = sqlapi.make_dispatcher(Plpy())
    with pytest.raises(Plpy.Error) as exc:
        call("parse_checkpoint", "n" * (5 * 1024 * 1024))
    assert exc.value.args[0] == PROGRAM_LIMIT_EXCEEDED


def test_the_dispatcher_bounds_every_error_text():
    class Plpy:
        class Error(Exception):
            pass

        def error(self, message, sqlstate=None, **parts):
            raise self.Error(sqlstate, message, parts)

    call = sqlapi.make_dispatcher(Plpy())
    with pytest.raises(Plpy.Error) as exc:
        call("canonical_json", '{"%s": 1, "%s": 2}' % ("k" * 100000, "k" * 100000))
    assert exc.value.args[0] == INVALID_PARAMETER
    assert len(exc.value.args[1]) <= sqlapi.MAX_ERROR_TEXT
    with pytest.raises(Plpy.Error) as exc:
        call("vex_parse", "openvex", '{"%s": {}}' % ("k" * 100000))
    assert len(exc.value.args[1]) <= sqlapi.MAX_ERROR_TEXT
