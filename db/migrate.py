"""Schema migrations through Alembic, run programmatically (no alembic.ini to ship).

``upgrade`` takes a database-wide lock first, so several desks starting against one shared
PostgreSQL or MySQL database at the same moment migrate it once, one after another.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x52455644  # "REVD": the advisory lock key for migrations
_MYSQL_LOCK_NAME = "review_desk_migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema up to ``revision``; returns the revision now in place."""
    backend = engine.dialect.name
    with engine.connect() as conn:
        if backend == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_ID})
        elif backend in ("mysql", "mariadb"):
            conn.execute(text("SELECT GET_LOCK(:n, 120)"), {"n": _MYSQL_LOCK_NAME})
        conn.commit()
        try:
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            if backend == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_ID})
            elif backend in ("mysql", "mariadb"):
                conn.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": _MYSQL_LOCK_NAME})
            conn.commit()
        return MigrationContext.configure(conn).get_current_revision()
