"""Declarative base, naming convention and the columns every output row carries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.types import UtcDateTime, utcnow

# Deterministic constraint names: Alembic can then alter them on every backend, and MySQL's
# 64-character identifier limit is respected by keeping table/column names short.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Tracked:
    """Timestamp, owner, source, status and recovery rule: what explains a row later.

    ``owner`` is who is answerable for the row now (a user login, or a component such as
    ``pipeline``); ``source`` is what produced it (a provider, the drafter, the desk);
    ``recovery`` is the rule that recovers it when something goes wrong, in words an operator
    can follow ("re-run from webhook_events #12", "retry from the outbox").
    """

    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    owner: Mapped[str] = mapped_column(String(120), default="system")
    source: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))
    recovery: Mapped[str] = mapped_column(String(255), default="")
