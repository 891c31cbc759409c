"""Evidence that another transaction is waiting for a lock a test holds.

PostgreSQL and MariaDB say so themselves (``pg_stat_activity``, the process list). SQLite has
no such view: its one write lock is taken by ``BEGIN IMMEDIATE``, so a connection that has
issued that statement while the test holds the lock is, by SQLite's own rule, waiting for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text

from db.engine import Database

_SERVER_WAITS = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND wait_event_type = 'Lock'",
    # MariaDB's innodb_trx does not always list a reader waiting in the optimizer's row lookup;
    # a locking read still running while the test holds the row is waiting for it.
    "mysql": "SELECT count(*) FROM information_schema.processlist WHERE command = 'Query' "
    "AND id <> connection_id() AND (info LIKE '%FOR UPDATE%' OR info LIKE '%FOR SHARE%' "
    "OR info LIKE '%LOCK IN SHARE MODE%')",
}


@contextmanager
def watching_lock_waits(database: Database) -> Iterator[Callable[[], bool]]:
    """Yields a check: is a transaction of another thread waiting for a lock right now?"""
    if database.backend != "sqlite":

        def server_says() -> bool:
            with database.engine.connect() as conn:  # its own connection, outside the test's
                return bool(conn.execute(text(_SERVER_WAITS[database.backend])).scalar())

        yield server_says
        return
    holder = threading.get_ident()
    waiting = threading.Event()

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE") and threading.get_ident() != holder:
            waiting.set()

    event.listen(database.engine, "before_cursor_execute", on_execute)
    try:
        yield waiting.is_set
    finally:
        event.remove(database.engine, "before_cursor_execute", on_execute)
