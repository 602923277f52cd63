"""The bridge between SQL functions and the library.

Each entry of FUNCTIONS is what one SQL function calls, taking arguments as PL/Python
passes them (bytea -> bytes, bigint -> int, bytea[] -> list, text/jsonb -> str) and
returning what PL/Python turns back into the SQL result type. make_dispatcher() wraps
them so that bad input becomes plpy.error with its SQLSTATE, and anything else that
escapes (a bug) becomes SQLSTATE XX000 rather than a bare Python traceback.
"""

import base64
import json

from . import canonical, dsse, keys, merkle, note, rekor, spine, tlog, vex
from .errors import InputError


def _parse_checkpoint(text):
    cp = note.parse_checkpoint(text)
    return {
        "origin": cp["origin"],
        "tree_size": cp["tree_size"],
        "root_hash": cp["root_hash"],
        "extensions": cp["extensions"],
        "signatures": json.dumps(cp["signatures"]),
    }


def _parse_dsse_envelope(envelope_json):
    env = dsse.parse_envelope(envelope_json)
    return {
        "payload_type": env["payload_type"],
        "payload": env["payload"],
        "signatures": json.dumps([{"keyid": s.get("keyid") or "", "sig": base64.b64encode(s["sig"]).decode()}
                                  for s in env["signatures"]]),
    }


FUNCTIONS = {
    "rfc6962_leaf_hash": merkle.leaf_hash,
    "rfc6962_node_hash": merkle.node_hash,
    "verify_inclusion": merkle.verify_inclusion,
    "verify_consistency": merkle.verify_consistency,
    "parse_checkpoint": _parse_checkpoint,
    "verify_checkpoint_vkey": note.verify_checkpoint_vkey,
    "verify_checkpoint_pem": note.verify_checkpoint_pem,
    "verify_tlog_entry": tlog.verify_tlog_entry_json,
    "dsse_pae": dsse.pae,
    "verify_dsse": dsse.verify_envelope,
    "canonical_json": canonical.canonicalize,
    "content_id": canonical.content_id,
    "public_key_info": keys.public_key_info,
    "log_key": keys.log_key,
    "parse_dsse_envelope": _parse_dsse_envelope,
    "body_mismatch": rekor.body_mismatch,
    "verify_completions": rekor.verify_completions,
    "verify_stored_completions": rekor.verify_stored_completions,
    "spine_root": lambda segments: spine.spine_root(segments)[0],
    "vex_parse": lambda fmt, document: json.dumps(vex.parse(fmt, document)),
    "vex_normalize_statement": lambda statement, default_timestamp: json.dumps(
        vex.normalize_statement(statement, default_timestamp)),
    "vex_mappings": lambda: json.dumps(vex.MAPPINGS),
}


def make_dispatcher(plpy):
    """call(name, *args): run FUNCTIONS[name], reporting errors through plpy."""
    functions = FUNCTIONS

    def call(name, *args):
        try:
            return functions[name](*args)
        except InputError as exc:
            # Only the parts the error has: PL/Python prints detail=None as "DETAIL: None".
            plpy.error(exc.message, sqlstate=exc.sqlstate,
                       **{k: v for k, v in (("detail", exc.detail), ("hint", exc.hint)) if v is not None})
        except Exception as exc:  # a bug: report it typed, never as a bare traceback
            plpy.error("internal error in pgattest %s: %s: %s" % (name, type(exc).__name__, exc),
                       hint="This is a defect in pgattest; please report it with the input that caused it.",
                       sqlstate="XX000")
    return call
