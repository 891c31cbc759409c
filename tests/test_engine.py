"""The engine factory: one URL in, a correctly configured engine out, on every backend."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from db.engine import Database, DatabaseUrlError, normalize_url
from tests.databases import fresh_database
from tests.lock_waits import watching_lock_waits
from tests.waiting import PATIENCE_S, wait_until


def test_shipped_drivers_are_filled_in_for_bare_schemes() -> None:
    assert normalize_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("mysql://u:p@h/db").drivername == "mysql+pymysql"
    assert normalize_url("mariadb://u:p@h/db").drivername == "mariadb+pymysql"
    assert normalize_url("sqlite:////tmp/x.db").drivername == "sqlite"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a database URL"),
        ("oracle://u:p@h/db", "unsupported database"),
        ("sqlite://", "in-memory"),
    ],
)
def test_unusable_urls_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(DatabaseUrlError, match=message):
        normalize_url(url)


def test_display_url_hides_the_password() -> None:
    database = Database("postgresql://desk:s3cret@127.0.0.1:1/none")
    try:
        assert "s3cret" not in database.display_url
        assert "***" in database.display_url
    finally:
        database.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_database: Database) -> None:
    with sqlite_database.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_sqlite_write_transactions_take_the_lock_up_front(sqlite_database: Database) -> None:
    """With BEGIN IMMEDIATE a second writer waits for the first instead of failing."""
    order: list[str] = []
    with watching_lock_waits(sqlite_database) as second_waits:

        def second() -> None:
            with sqlite_database.write() as session:
                session.execute(text("SELECT 1"))
                order.append("second writes")

        with sqlite_database.write() as session:
            session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE has run: the lock is held
            thread = threading.Thread(target=second)
            thread.start()
            wait_until(second_waits, "the second writer to ask for the lock")
            order.append("first commits")
        thread.join(PATIENCE_S)
    assert order == ["first commits", "second writes"]


def test_a_failed_write_transaction_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError), database.write() as session:
        session.execute(
            text(
                "INSERT INTO users (login, display_name, role, active, created_at)"
                " VALUES ('ghost', 'Ghost', 'reviewer', :t, :now)"
            ),
            {"t": True, "now": "2026-01-01 00:00:00"},
        )
        raise RuntimeError("boom")
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM users")).scalar() == 0


def test_mysql_runs_at_read_committed(tmp_path) -> None:
    with fresh_database("mysql", str(tmp_path)) as url:
        database = Database(url)
        try:
            with database.engine.connect() as conn:
                assert conn.get_isolation_level() == "READ COMMITTED"
        finally:
            database.dispose()
