"""Column types that behave the same on SQLite, PostgreSQL and MySQL/MariaDB."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, LargeBinary, Text
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored as naive UTC with microseconds everywhere.

    SQLite keeps no zone and MySQL's DATETIME defaults to whole seconds, so the value is
    normalised to naive UTC on the way in (``DATETIME(6)`` on MySQL) and handed back aware.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def bind_processor(self, dialect: Dialect) -> Any:
        """Convert each datetime once: a bulk insert passes the same ``now`` object in every
        row's created_at / updated_at, and each conversion costs microseconds."""
        convert = super().bind_processor(dialect)
        last: list[tuple[object, object]] = [(object(), None)]

        def process(value: datetime | None) -> object:
            seen, result = last[0]  # one tuple, read and replaced whole: safe across threads
            if value is seen:
                return result
            result = convert(value) if convert else value
            last[0] = (value, result)
            return result

        return process

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


# Large text (payload transcripts, drafts): MySQL's TEXT stops at 64 KiB.
BigText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")

# Raw provider bodies are kept byte for byte, so invalid UTF-8 can be quarantined, not lost.
RawBytes = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")

# Structured data; JSONB on PostgreSQL so it can be indexed later.
Json = JSON().with_variant(postgresql.JSONB(), "postgresql")
