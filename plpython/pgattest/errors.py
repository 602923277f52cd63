"""SQLSTATEs pgattest raises, in one place, and the error the library raises for bad input.

The registry below is the contract: every SQLSTATE a pgattest function raises on
purpose, with where. Python code (the library, the worker, the tests) takes codes from
here rather than writing literals. docs/CONVENTIONS.md lists the same registry for SQL
authors; tests/python/test_errors_registry.py checks that every code raised in deploy/
is registered here.

Every rejection of bad input raises InputError; any other exception escaping the
package is a bug and surfaces as SQLSTATE XX000 with the Python type named.
"""

# Standard SQLSTATEs (PostgreSQL Appendix A) and what pgattest means by them.
NULL_NOT_ALLOWED = "22004"       # null_value_not_allowed: a required argument or array element is NULL
INVALID_DATETIME = "22007"       # invalid_datetime_format: a timestamp that does not parse
INVALID_PARAMETER = "22023"      # invalid_parameter_value: malformed argument (the default)
INVALID_TEXT = "22P02"           # invalid_text_representation: undecodable text (base64, PEM, JSON)
INVALID_REGULAR_EXPRESSION = "2201B"  # invalid_regular_expression: a watchlist regex that does not compile,
                                     # or uses back references (no time bound)
FOREIGN_KEY_VIOLATION = "23503"  # foreign_key_violation: naming what is not registered
UNIQUE_VIOLATION = "23505"       # unique_violation: registering what exists
SERIALIZATION_FAILURE = "40001"  # serialization_failure: retry; a transaction that began later changed an unknown
                                 # first, or a ledger append whose snapshot missed a concurrent one
INSUFFICIENT_PRIVILEGE = "42501"  # insufficient_privilege: no tenant set, no trusted key, not allowed
INVALID_TABLE_DEFINITION = "42P16"  # invalid_table_definition: a table breaks the tenant-table convention
PROGRAM_LIMIT_EXCEEDED = "54000"  # program_limit_exceeded: input over a configured size limit
OBJECT_NOT_IN_STATE = "55000"    # object_not_in_prerequisite_state: stale claim token, superseded observation,
                                 # library version mismatch
UNDEFINED_FILE = "58P01"         # undefined_file: the server's Python lacks a module the library imports
INTERNAL_ERROR = "XX000"         # internal_error: a defect; no input may cause it

# pgattest's own SQLSTATEs: class 23 (integrity constraint violation), subclass PA*.
SPLIT_VIEW = "23PA1"             # a log signed two roots for one size, or is frozen by such evidence:
                                 # attestor.record_checkpoint, _pgattest.store_verified_checkpoint (via
                                 # complete_submission(s)); the evidence goes to attestor.record_split_view
IMMUTABLE_VIOLATION = "23PA2"    # an immutable VEX row changed, or a Rekor link set twice:
                                 # _pgattest.observations_immutable (trigger), vex.link_rekor,
                                 # vex.submit_observation; a trust verdict changed other than by
                                 # supersession or tombstone (_pgattest.trust_verdicts_immutable)
LEDGER_APPEND_ONLY = "23PA3"     # an UPDATE, DELETE or TRUNCATE of the verdict ledger or its anchors:
                                 # _pgattest.ledger_append_only (trigger)

# Class 22 (data exception), subclass PA*: bad input of pgattest's own.
LEDGER_CHECKPOINT_MISMATCH = "22PA1"  # a ledger checkpoint statement submitted for anchoring whose size is
                                      # beyond the tenant's ledger head or whose root is not the ledger's
                                      # root at that size: _pgattest.check_ledger_anchor (trigger, via
                                      # attestor.submit_envelope)

CUSTOM = {SPLIT_VIEW: "split view: a transparency log contradicted itself",
          IMMUTABLE_VIOLATION: "immutable VEX record or Rekor link changed",
          LEDGER_APPEND_ONLY: "the verdict ledger is append-only",
          LEDGER_CHECKPOINT_MISMATCH: "a ledger checkpoint that is not the ledger's"}


class InputError(ValueError):
    """Bad input: carries the SQLSTATE, a message naming the bad value, and a hint."""

    def __init__(self, message, sqlstate=INVALID_PARAMETER, hint=None, detail=None):
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate
        self.hint = hint
        self.detail = detail


def require(condition, message, hint=None, sqlstate=INVALID_PARAMETER):
    """Raise InputError(message) unless condition holds."""
    if not condition:
        raise InputError(message, sqlstate=sqlstate, hint=hint)
