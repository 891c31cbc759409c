"""Who is on duty, how fast each client wants its leads answered, and alerts to persons."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import UtcDateTime, utcnow


class DutyShift(Base):
    """One person on duty from ``starts_at`` until ``ends_at`` (UTC).

    Dated shifts, not a weekly pattern: holidays, swaps, sick days and daylight-saving changes
    are then plain rows instead of exceptions to a rule, "who is on duty now" is one range
    query on every backend, and a gap in the roster is visible as a gap. A weekly pattern is a
    way of entering shifts (a later roster screen can write the next weeks' rows from one).
    """

    __tablename__ = "duty_shifts"
    __table_args__ = (Index(None, "ends_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ClientOwner(Base):
    """Who a new owner task about the client goes to when on duty (``owner_id``), and who a
    task past due is escalated to (``escalation_contact_id``).

    Beside ``clients`` rather than on it: SQLite cannot add a foreign key to an existing table
    without rebuilding it, and the rebuild's DROP of a table every lead points at is refused
    while foreign keys are enforced. One row per client; no row means neither is set.
    """

    __tablename__ = "client_owners"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    escalation_contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The client's review items are assigned by the roster too (the queue's "Mine").
    assign_items: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ClientSlaPolicy(Base):
    """How many minutes a client allows for answering a lead from one source (a provider:
    ``twilio``, ``thumbtack``...). It wins over the template's response window."""

    __tablename__ = "client_sla_policies"
    __table_args__ = (UniqueConstraint("client_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    source: Mapped[str] = mapped_column(String(64))
    response_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class OwnerAlert(Base):
    """Something one person should see: a task assigned or escalated to them, or (for the
    supervisor) a task that went past due.

    A row, not an audit entry: the audit log says what happened, once and for good, while an
    alert is read (``read_at``) by the person it is for, which the append-only log cannot
    record. ``user_id`` None: there was nobody on duty to tell; any supervisor's inbox shows it.
    """

    __tablename__ = "owner_alerts"
    __table_args__ = (Index(None, "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    owner_task_id: Mapped[int] = mapped_column(ForeignKey("owner_tasks.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    message: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The internal message that carried it to a person with no desk open, if one was queued.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
