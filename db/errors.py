"""Database errors that mean "run the same transaction again", on every backend."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

_MYSQL_RETRY = {1213, 1205}  # deadlock found; lock wait timeout
_POSTGRES_RETRY = {"40P01", "40001"}  # deadlock detected; serialization failure


def is_transient_conflict(exc: BaseException) -> bool:
    """A deadlock (or its like) between two transactions: the database rolled this one back
    and the same work, done again, succeeds."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return False
    original = exc.orig
    if getattr(original, "sqlstate", None) in _POSTGRES_RETRY:
        return True
    args = getattr(original, "args", ())
    return bool(args) and args[0] in _MYSQL_RETRY
