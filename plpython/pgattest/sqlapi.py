"""The bridge between SQL functions and the library.

Each entry of ENTRIES names what one SQL function calls, taking arguments as PL/Python
passes them (bytea -> bytes, bigint -> int, bytea[] -> list, text/jsonb -> str, a composite
-> dict, an array of composites -> list of dicts) and returning what PL/Python turns back
into the SQL result type. make_dispatcher() wraps
them so that an argument over its size limit (limits.LIMITS, by entry) is refused with
54000 before anything parses it, bad input becomes plpy.error with its SQLSTATE, and
anything else that escapes (a bug) becomes SQLSTATE XX000 rather than a bare Python
traceback.
"""

import base64
import importlib
import json

from . import limits
from .errors import INTERNAL_ERROR, UNDEFINED_FILE, InputError


def _parse_checkpoint(text):
    from . import note
    cp = note.parse_checkpoint(text)
    return {
        "origin": cp["origin"],
        "tree_size": cp["tree_size"],
        "root_hash": cp["root_hash"],
        "extensions": cp["extensions"],
        "signatures": json.dumps(cp["signatures"]),
    }


def _parse_dsse_envelope(envelope_json):
    from . import dsse
    env = dsse.parse_envelope(envelope_json)
    return {
        "payload_type": env["payload_type"],
        "payload": env["payload"],
        "signatures": json.dumps([{"keyid": s.get("keyid") or "", "sig": base64.b64encode(s["sig"]).decode()}
                                  for s in env["signatures"]]),
    }


def _spine_root(segments):
    from . import spine
    return spine.spine_root(segments)[0]


def _vex_parse(fmt, document):
    from . import vex
    return json.dumps(vex.parse(fmt, document))


def _vex_normalize_statement(statement, default_timestamp):
    from . import vex
    return json.dumps(vex.normalize_statement(statement, default_timestamp))


def _vex_mappings():
    from . import vex
    return json.dumps(vex.MAPPINGS)


# SQL entry -> (module, attribute). A module is imported at the first call of one of its
# entries in a backend, not when the library loads: a backend that only verifies Merkle
# proofs never imports the VEX parsers or the signature code (the first call of a fresh
# connection is mostly imports; see bench/first_call.py).
ENTRIES = {
    "rfc6962_leaf_hash": ("merkle", "leaf_hash"),
    "rfc6962_node_hash": ("merkle", "node_hash"),
    "verify_inclusion": ("merkle", "verify_inclusion"),
    "verify_consistency": ("merkle", "verify_consistency"),
    "parse_checkpoint": ("sqlapi", "_parse_checkpoint"),
    "verify_checkpoint_vkey": ("note", "verify_checkpoint_vkey"),
    "verify_checkpoint_pem": ("note", "verify_checkpoint_pem"),
    "verify_checkpoint_pem_origin": ("note", "verify_checkpoint_pem_origin"),
    "verify_tlog_entry": ("tlog", "verify_tlog_entry_json"),
    "verify_tlog_entry_at": ("tlog", "verify_tlog_entry_at_json"),
    "dsse_pae": ("dsse", "pae"),
    "verify_dsse": ("dsse", "verify_envelope"),
    "canonical_json": ("canonical", "canonicalize"),
    "content_id": ("canonical", "content_id"),
    "public_key_info": ("keys", "public_key_info"),
    "log_key": ("keys", "log_key"),
    "parse_dsse_envelope": ("sqlapi", "_parse_dsse_envelope"),
    "verify_stored_completions": ("rekor", "verify_stored_completions"),
    "spine_root": ("sqlapi", "_spine_root"),
    "vex_parse": ("sqlapi", "_vex_parse"),
    "vex_normalize_statement": ("sqlapi", "_vex_normalize_statement"),
    "vex_mappings": ("sqlapi", "_vex_mappings"),
    "ledger_tree_roots": ("ledger", "tree_roots"),
    "ledger_inclusion_proof": ("ledger", "inclusion_proof"),
    "ledger_consistency_proof": ("ledger", "consistency_proof"),
    "entry_identities": ("identity", "entry_identities_json"),
    "load_all": ("sqlapi", "_load_all"),  # _pgattest.load_pylib()
}


def _load_all():
    """Import every module an entry uses (_pgattest.load_pylib: proves the server's Python
    has what the library imports, and warms a backend)."""
    for module, _ in ENTRIES.values():
        importlib.import_module("pgattest." + module)


def resolve(name):
    """The function behind SQL entry name (importing its module if need be)."""
    module, attribute = ENTRIES[name]
    return getattr(importlib.import_module("pgattest." + module), attribute)


# Error texts reach the client and the server log: a value a message names (the library
# truncates those it echoes) can still be long, so every text is cut here too (issue 15
# item 8: a 50 MB argument once wrote a 50 MB ERROR line).
MAX_ERROR_TEXT = 400


def _bounded(text):
    text = str(text)
    return text if len(text) <= MAX_ERROR_TEXT else text[:MAX_ERROR_TEXT - 3] + "..."


def make_dispatcher(plpy):
    """call(name, *args): run the entry name, reporting errors through plpy."""
    functions = {}

    def call(name, *args):
        try:
            if name in limits.LIMITS:
                limits.check(name, args)
            function = functions.get(name)
            if function is None:
                function = functions[name] = resolve(name)
            return function(*args)
        except ImportError as exc:  # the server's Python lacks what a module imports
            plpy.error("pgattest's PL/Python library cannot import %s" % exc.name, detail=_bounded(exc),
                       sqlstate=UNDEFINED_FILE,
                       hint="Install Debian's python3-cryptography and rfc8785 for the server's Python 3.11 "
                            "(./pgattest setup does both).")
        except InputError as exc:
            # Only the parts the error has: PL/Python prints detail=None as "DETAIL: None".
            plpy.error(_bounded(exc.message), sqlstate=exc.sqlstate,
                       **{k: _bounded(v) for k, v in (("detail", exc.detail), ("hint", exc.hint)) if v is not None})
        except Exception as exc:  # a bug: report it typed, never as a bare traceback
            plpy.error(_bounded("internal error in pgattest %s: %s: %s" % (name, type(exc).__name__, exc)),
                       hint="This is a defect in pgattest; please report it with the input that caused it.",
                       sqlstate=INTERNAL_ERROR)
    return call
