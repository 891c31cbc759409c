"""Which database errors mean "do the same transaction again"."""

from __future__ import annotations

import psycopg.errors
import pymysql.err
from sqlalchemy.exc import IntegrityError, OperationalError

from db.errors import is_transient_conflict


def test_deadlocks_on_every_server_are_transient_and_other_errors_are_not() -> None:
    def wrapped(original: Exception) -> OperationalError:
        return OperationalError("INSERT ...", {}, original)

    assert is_transient_conflict(wrapped(pymysql.err.OperationalError(1213, "Deadlock found")))
    assert is_transient_conflict(wrapped(psycopg.errors.DeadlockDetected("deadlock detected")))
    assert not is_transient_conflict(wrapped(pymysql.err.OperationalError(2003, "Can't connect")))
    assert not is_transient_conflict(wrapped(psycopg.errors.UndefinedTable("no such table")))
    assert not is_transient_conflict(IntegrityError("INSERT ...", {}, Exception("duplicate")))
    assert not is_transient_conflict(ValueError("not a database error"))
