"""Telling a lost database connection from everything else."""

from __future__ import annotations

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError


def is_connection_error(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection (or, on SQLite, stayed
    locked past the busy timeout): worth a banner and a retry, not a crash."""
    return isinstance(exc, (OperationalError, InterfaceError, DisconnectionError))
