"""Errors the SQL layer turns into `plpy.error(..., sqlstate=...)`.

Every rejection of bad input raises InputError; any other exception escaping the
package is a bug and surfaces as SQLSTATE XX000 with the Python type named.
"""

INVALID_PARAMETER = "22023"      # invalid_parameter_value: malformed argument
INVALID_TEXT = "22P02"           # invalid_text_representation: undecodable text
NULL_NOT_ALLOWED = "22004"       # null_value_not_allowed: NULL inside an array etc.


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
