"""Schema migrations through Alembic, run programmatically (no alembic.ini to ship).

Alembic itself (and its tens of megabytes) is imported only when the schema actually needs an
upgrade: an up-to-date database is recognised by reading its ``alembic_version`` row against
``HEAD`` (a test keeps that constant equal to the newest migration script).

``upgrade`` takes a database-wide lock first, so several desks starting against one shared
PostgreSQL or MySQL database at the same moment migrate it once, one after another.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
HEAD = "0014"
_LOCK_ID = 0x52455644  # "REVD": the advisory lock key for migrations
_MYSQL_LOCK_NAME = "review_desk_migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration script, as Alembic reads it from the scripts folder."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == HEAD


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema up to ``revision``; returns the revision now in place."""
    if revision == "head" and is_current(engine):
        return HEAD
    from alembic import command

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
    return current_revision(engine)
