"""Leads, the normalized events about them, and owner tasks for urgent work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import Json, UtcDateTime, utcnow
from db.vocab import Consent, LeadStage, Urgency


class Lead(Tracked, Base):
    """A person who asked one of the agency's clients for something.

    ``status`` is what intake made of it (new, opted out, qualified by a rule); ``stage`` is
    where a person moved it in the sales loop (``app.services.lead_stage``). The reporting
    fields (first response, outcome, lost reason, next action and when it is due) live here too.
    """

    __tablename__ = "leads"
    __table_args__ = (
        Index(None, "client_id", "phone"),
        Index(None, "client_id", "email"),
        Index(None, "client_id", "last_event_at"),
        # The cadence sweep's two ranges (0011): leads whose check time has come, and leads
        # never checked, oldest activity first; a newer lead of the same contact; won leads
        # whose review request is not registered yet.
        Index(None, "follow_up_check_at", "last_event_at"),
        Index(None, "duplicate_of_id"),
        Index(None, "stage", "won_at"),
        # The KPIs' leads first seen in a period, duplicates left out (0014): the equality
        # first, so SQLite's planner takes the range rather than every non-duplicate lead.
        Index(None, "duplicate_of_id", "first_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    service: Mapped[str] = mapped_column(String(200), default="")
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.NORMAL)
    consent: Mapped[str] = mapped_column(String(16), default=Consent.UNKNOWN)
    attribution: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_event_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(String(32))
    lost_reason: Mapped[str | None] = mapped_column(String(200))
    next_action: Mapped[str] = mapped_column(String(255), default="")
    stage: Mapped[str] = mapped_column(String(16), default=LeadStage.NEW, server_default=LeadStage.NEW.value)
    next_action_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The earliest the lead can be due an old-lead follow-up (``app.services.cadence``); None:
    # not looked at yet. When it was won, as the stage change recorded it (its review request).
    follow_up_check_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    won_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Event(Base):
    """A normalized event (``lead.created``, ``call.missed``...) from one webhook delivery.

    ``idempotency_key`` comes from the provider's own id, or a content hash; the unique
    constraint, not a Python check, is what makes a repeated delivery yield one event.
    """

    __tablename__ = "events"
    __table_args__ = (Index(None, "lead_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    webhook_event_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_events.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    provider: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class OwnerTask(Tracked, Base):
    """Work for a person, created before any nurture draft for urgent or high-value leads.

    ``assigned_reason`` says in words why ``assignee_id`` has it ("client owner on duty",
    "nobody on duty"); ``escalated_at`` is set once, when it went past due and was escalated.
    """

    __tablename__ = "owner_tasks"
    # The inbox's orders: open tasks soonest due, then by priority; and one person's (0010).
    __table_args__ = (
        Index(None, "status", "due_at", "priority"),
        Index(None, "assignee_id", "status", "due_at", "priority"),
        Index(None, "done_at"),  # the KPIs' tasks done in a period (0014)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a task about no one client (an auto-pause of a provider or a workflow).
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(255))
    priority: Mapped[int] = mapped_column(SmallInteger, default=2)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    assigned_reason: Mapped[str] = mapped_column(String(255), default="", server_default="")
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
