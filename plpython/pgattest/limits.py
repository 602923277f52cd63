"""Input size limits, checked before anything is parsed (issue 15 item 7).

Parsing costs 12 to 16 times its input in memory (a 200 MB VEX document took 3.1 GB in one
backend), so every PL/Python entry that parses what a client sends checks the argument's
size in bytes first and raises 54000 (program_limit_exceeded) naming the limit. One
table, LIMITS, says which entries take which kind of input; sqlapi.make_dispatcher
applies it to every call, so an entry added to sqlapi.ENTRIES is covered by adding it here.

The limits are settings, per database or per role (ALTER DATABASE pgattest SET
pgattest.max_document_bytes = ...): pgattest.max_document_bytes, max_envelope_bytes,
max_note_bytes and max_bundle_bytes. A custom setting can also be changed by any client
with SET, so a setting is honoured only up to CEILINGS, a hard bound per kind that keeps one
call's parse well under 1 GB whatever a hostile client sets; raising a ceiling means
changing this file.

The settings are read with PostgreSQL's GetConfigOption through ctypes, not with SQL:
the checked functions are PARALLEL SAFE, and a parallel worker cannot run SQL from
PL/Python (plpy.execute opens a subtransaction, which parallel mode forbids); a worker
has its leader's settings. Outside a server (pytest), the defaults apply.
"""

from .errors import INVALID_PARAMETER, PROGRAM_LIMIT_EXCEEDED, InputError

MB = 1024 * 1024

# kind -> (setting, default bytes, ceiling bytes)
KINDS = {
    "document": ("pgattest.max_document_bytes", 16 * MB, 64 * MB),  # VEX documents and statements, JSON to canonicalize
    "envelope": ("pgattest.max_envelope_bytes", 16 * MB, 64 * MB),  # DSSE envelopes
    "note": ("pgattest.max_note_bytes", 1 * MB, 4 * MB),             # signed notes (checkpoints)
    "bundle": ("pgattest.max_bundle_bytes", 16 * MB, 64 * MB),      # Sigstore bundles and transparency-log entries
}

# entry (a key of sqlapi.ENTRIES) -> ((argument position, kind), ...)
LIMITS = {
    "canonical_json": ((0, "document"),),
    "content_id": ((0, "document"),),
    "vex_parse": ((1, "document"),),
    "vex_normalize_statement": ((0, "document"),),
    "parse_dsse_envelope": ((0, "envelope"),),
    "verify_dsse": ((0, "envelope"),),
    "dsse_pae": ((1, "envelope"),),
    "parse_checkpoint": ((0, "note"),),
    "verify_checkpoint_vkey": ((0, "note"),),
    "verify_checkpoint_pem": ((0, "note"),),
    "verify_checkpoint_pem_origin": ((0, "note"),),
    "verify_tlog_entry": ((0, "bundle"), (1, "bundle")),
    "verify_tlog_entry_at": ((0, "bundle"), (1, "bundle")),
}


def _server_setting():
    """name -> the setting's text or None, from the server this code runs in (None outside one)."""
    import ctypes  # here, not at the top: only a backend that checks a size pays for the import
    try:
        get = ctypes.CDLL(None).GetConfigOption
    except (OSError, AttributeError):
        return None
    # const char *GetConfigOption(const char *name, bool missing_ok, bool restrict_privileged):
    # with missing_ok it returns NULL for an unknown setting and never raises.
    get.restype = ctypes.c_char_p
    get.argtypes = (ctypes.c_char_p, ctypes.c_bool, ctypes.c_bool)

    def setting(name):
        value = get(name.encode("ascii"), True, False)
        return None if value is None else value.decode("utf-8", "replace")
    return setting


_UNREAD = object()
_setting = _UNREAD


def limit(kind, setting=None):
    """The byte limit of kind: its setting (capped at the ceiling), or the default."""
    global _setting
    name, default, ceiling = KINDS[kind]
    if setting is None and _setting is _UNREAD:
        _setting = _server_setting()
    read = setting if setting is not None else _setting
    text = read(name) if read is not None else None
    if text is None or not text.strip():
        return default
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18) or int(text) < 1:
        raise InputError(f"setting {name} is not a positive number of bytes: {text[:40]!r}", sqlstate=INVALID_PARAMETER,
                         hint=f"Set it to a byte count, e.g. {default}, or RESET it (the default is {default}).")
    return min(int(text), ceiling)


def size(value):
    """The size in bytes of an argument as PostgreSQL holds it (UTF-8 text, bytea), or None."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    return None


def check(entry, args, setting=None):
    """Raise 54000 when an argument of entry is over its kind's limit."""
    for position, kind in LIMITS.get(entry, ()):
        if position >= len(args):
            continue
        value = args[position]
        if value is None:
            continue
        # A str's length in characters bounds its UTF-8 size from below and 4x from above:
        # most arguments are decided without encoding them.
        n = len(value) if isinstance(value, str) else None
        bound = limit(kind, setting)
        if n is not None and n * 4 <= bound:
            continue
        nbytes = n if n is not None and n > bound else size(value)
        if nbytes is not None and nbytes > bound:
            name, _default, ceiling = KINDS[kind]
            raise InputError(f"{kind} of {nbytes} bytes is over the limit of {bound} bytes ({name})",
                             sqlstate=PROGRAM_LIMIT_EXCEEDED,
                             hint=f"Send a smaller {kind}; an administrator can raise the limit per database or role "
                                  f"(ALTER DATABASE ... SET {name} = ...), up to {ceiling} bytes.")
