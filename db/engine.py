"""One engine factory for SQLite, PostgreSQL and MySQL/MariaDB, selected by a database URL.

``Database.write()`` opens a write transaction: on SQLite that is ``BEGIN IMMEDIATE`` so the
write lock is taken up front and waits out the busy timeout, instead of failing half-way
when a deferred reader tries to upgrade. ``Database.read()`` opens a plain transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
_WRITE_OPTION = "review_desk_write"

# Scheme given without a driver -> the driver the desk ships with.
_DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}


class DatabaseUrlError(ValueError):
    """The database URL cannot be used; the message says why in plain words."""


def normalize_url(raw: str | URL) -> URL:
    """Parse a URL and fill in the shipped driver when only the scheme is given."""
    try:
        url = make_url(raw)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with a terse message
        raise DatabaseUrlError(f"not a database URL: {exc}") from None
    backend = url.get_backend_name()
    if url.drivername in _DEFAULT_DRIVERS:
        url = url.set(drivername=_DEFAULT_DRIVERS[url.drivername])
    if backend not in ("sqlite", "postgresql", "postgres", "mysql", "mariadb"):
        raise DatabaseUrlError(f"unsupported database {backend!r}: use sqlite, postgresql, mysql or mariadb")
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise DatabaseUrlError("an in-memory SQLite database cannot be shared; give a file path")
    return url


def make_engine(raw_url: str | URL, sqlite_cache_mib: int = 32, **engine_kwargs: Any) -> Engine:
    url = normalize_url(raw_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, sqlite_cache_mib, **engine_kwargs)
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "pool_recycle": 1800}
    if backend in ("mysql", "mariadb"):
        # Queue claiming relies on row locks; REPEATABLE READ would add gap locks and
        # stale snapshots, so MySQL/MariaDB run at PostgreSQL's default level.
        kwargs["isolation_level"] = "READ COMMITTED"
        url = url.update_query_dict({"charset": "utf8mb4"})
    kwargs.update(engine_kwargs)
    return create_engine(url, **kwargs)


def _sqlite_engine(url: URL, cache_mib: int, **engine_kwargs: Any) -> Engine:
    Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **engine_kwargs,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; SQLAlchemy emits BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Page cache per connection (SQLite's default is 2 MiB). The worker takes 32 MiB: a
        # growing queue's indexes stay in memory (+15% ingest at 40k events). The desk, with a
        # connection per thread, takes less: the operating system caches the file anyway.
        cursor.execute(f"PRAGMA cache_size=-{cache_mib * 1024}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """An engine plus the two kinds of session the desk uses."""

    def __init__(self, raw_url: str | URL, sqlite_cache_mib: int = 32, **engine_kwargs: Any) -> None:
        self.engine = make_engine(raw_url, sqlite_cache_mib, **engine_kwargs)
        self.url = self.engine.url
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False)

    @property
    def backend(self) -> str:
        """``sqlite``, ``postgresql`` or ``mysql`` (MariaDB reports ``mysql`` too)."""
        name = self.engine.dialect.name
        return "mysql" if name in ("mysql", "mariadb") else name

    @property
    def display_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work for reading. Closing it rolls back anything written in it, while the
        objects it loaded stay readable (detached, not expired)."""
        with self._read() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
