"""Who uses the desk and whom the agency works for."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UtcDateTime, utcnow
from db.vocab import Role


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default=Role.REVIEWER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Where an owner alert reaches the person when no desk of theirs is open: ``alert_channel``
    # "sms" (to ``phone``, E.164), "email" (to ``email``) or "" (the desk only).
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    alert_channel: Mapped[str] = mapped_column(String(8), default="", server_default="")
    # Last heartbeat of a desk signed in as this user; an alert counts it open while recent.
    desk_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # "21:00-08:00" in ``timezone``: no message is queued then (it waits for the end). None: none.
    quiet_hours: Mapped[str | None] = mapped_column(String(11))
    # A quote above this value makes a lead high-value (routed to an owner task first).
    high_value_threshold: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # "weekly", "monthly" or "": how often a report note is drafted for the client (app.reports).
    report_period: Mapped[str] = mapped_column(String(8), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Project(Base):
    """An engagement with a client (the operating guides' ``projects``)."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ClientService(Base):
    """A service the agency runs automation for on a client's behalf."""

    __tablename__ = "client_services"
    __table_args__ = (UniqueConstraint("client_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
