"""Fresh, throwaway databases on SQLite, PostgreSQL and MariaDB for tests.

Server URLs come from REVIEW_DESK_TEST_PG_URL and REVIEW_DESK_TEST_MYSQL_URL (an account that
may create databases named ``review_desk_t_*``); ``.ci/run`` creates that account. Outside CI a
server that is not running is a skip with the reason; with CI=true it is a failure.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

PG_ADMIN_URL = os.environ.get(
    "REVIEW_DESK_TEST_PG_URL",
    "postgresql+psycopg://review_desk:review_desk@127.0.0.1:5432/postgres",
)
MYSQL_ADMIN_URL = os.environ.get(
    "REVIEW_DESK_TEST_MYSQL_URL",
    "mysql+pymysql://review_desk:review_desk@127.0.0.1:3306/",
)
BACKENDS = ("sqlite", "postgresql", "mysql")
_unreachable: dict[str, str] = {}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _admin_url(backend: str) -> str:
    return PG_ADMIN_URL if backend == "postgresql" else MYSQL_ADMIN_URL


def require_server(backend: str) -> None:
    """Skip (or, in CI, fail) when the server for ``backend`` cannot be reached."""
    if backend == "sqlite":
        return
    if backend not in _unreachable:
        engine = create_engine(_admin_url(backend), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            _unreachable[backend] = ""
        except Exception as exc:  # any failure to connect means "not available here"
            _unreachable[backend] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
        finally:
            engine.dispose()
    reason = _unreachable[backend]
    if reason:
        message = f"{backend} server unavailable at {make_url(_admin_url(backend)).render_as_string()}: {reason}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@contextmanager
def fresh_database(backend: str, tmp_dir: str) -> Iterator[str]:
    """Yield the URL of a new empty database; drop it afterwards."""
    require_server(backend)
    name = f"review_desk_t_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir}/{name}.sqlite3"
        return
    admin = create_engine(_admin_url(backend), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(_admin_url(backend)).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            _drop(admin, backend, name)
        finally:
            admin.dispose()


def _drop(admin: Engine, backend: str, name: str) -> None:
    """Drop a test database; a server still busy with it (closing sessions, autovacuum) gets
    a few more tries."""
    force = " WITH (FORCE)" if backend == "postgresql" else ""
    for attempt in range(5):
        try:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
            return
        except DBAPIError:
            if attempt == 4:
                raise
            time.sleep(0.5)
