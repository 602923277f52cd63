"""pgattest.limits: input sizes checked before parsing (issue 15 item 7), outside the database."""

import pytest

from pgattest import limits, sqlapi
from pgattest.errors import INVALID_PARAMETER, PROGRAM_LIMIT_EXCEEDED, InputError


def settings(**values):
    return lambda name: values.get(name)


def test_every_limited_entry_exists_and_every_parsing_entry_is_limited():
    assert set(limits.LIMITS) <= set(sqlapi.ENTRIES)
    parsing = {"canonical_json", "content_id", "vex_parse", "vex_normalize_statement", "parse_dsse_envelope",
               "verify_dsse", "parse_checkpoint", "verify_checkpoint_vkey", "verify_checkpoint_pem", "verify_tlog_entry"}
    assert parsing <= set(limits.LIMITS)


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
