"""Pauses that stop outbound work, and the append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import BigText, Json, UtcDateTime, utcnow


class AutomationPause(Tracked, Base):
    """A pause of one scope (workflow, client, provider, integration, or everything).

    A pause names its reason, rollback path and verification step; it cannot be resumed until
    the verification is recorded as done. ``status`` is active or resumed.
    """

    __tablename__ = "automation_pauses"
    __table_args__ = (Index(None, "status", "scope", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    scope_key: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(BigText)
    rollback: Mapped[str] = mapped_column(BigText)
    verification: Mapped[str] = mapped_column(BigText)
    trigger: Mapped[str] = mapped_column(String(48), default="manual")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    planned_resume_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verified_by: Mapped[str | None] = mapped_column(String(120))
    resumed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resumed_by: Mapped[str | None] = mapped_column(String(120))


class ControlLock(Base):
    """Named rows that serialize control changes against the work they control.

    The row ``pauses`` is read FOR SHARE by every release of outbound work and FOR UPDATE by
    every pause and resume (on SQLite the single write lock does the same). A release either
    commits before a pause does, or waits for it and then sees it: nothing leaves after a
    pause has committed.
    """

    __tablename__ = "control_locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)


class AuditEntry(Base):
    """One line of the append-only audit trail.

    Mapping to the columns every output carries: ``at`` is the timestamp, ``actor`` the owner,
    ``source`` the component (desk, worker, cli), ``outcome`` the status (ok, refused, failed)
    and ``recovery`` how the change can be reversed, if at all. Rows are never updated or
    deleted: a database trigger refuses it, see the first migration.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(None, "review_item_id", "at"),
        Index(None, "lead_id", "at"),
        Index(None, "entity", "entity_id"),
        Index(None, "action", "at"),  # the KPIs' refusals and holds in a period (0014)
        Index(None, "review_item_id", "action"),  # the KPIs' "was this item escalated" (0014)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(48))
    outcome: Mapped[str] = mapped_column(String(16), default="ok")
    recovery: Mapped[str] = mapped_column(String(255), default="")
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column()
    review_item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
