"""Telling a lost database connection from a busy one, and from everything else."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

from db.engine import Database


def ping(database: Database) -> None:
    with database.read() as session:
        session.execute(text("SELECT 1"))


def is_busy(exc: BaseException) -> bool:
    """SQLite stayed locked by another program past the busy timeout: the database is there,
    the action can be tried again at once; never reported as a lost connection."""
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig or exc)


def is_connection_error(exc: BaseException) -> bool:
    """The database could not be reached or dropped the connection: worth a notice and a
    retry, not a crash."""
    if is_busy(exc):
        return False
    return isinstance(exc, (OperationalError, InterfaceError, DisconnectionError))
