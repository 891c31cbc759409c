"""The timing rules of the two workflows the shared cycle starts by itself, and the review
request each won lead gets (``app.services.cadence``, ``app.services.review_request``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import UtcDateTime, utcnow


class ClientCadence(Base):
    """How long a client's lead may stay quiet before an old-lead follow-up is drafted, and
    how long after a lead is won its review request is drafted. No row: the desk's defaults
    (30 days, 48 hours); beside ``clients`` for the reason ``client_owners`` is."""

    __tablename__ = "client_cadences"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    follow_up_after_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    review_request_after_hours: Mapped[int] = mapped_column(Integer, default=48, server_default="48")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ReviewRequest(Tracked, Base):
    """The one review request of a won lead: ``status`` is waiting (until ``due_at``),
    drafted (``review_item_id`` is in the queue), paused (a complaint on the lead: ``reason``
    says which) or skipped (no message may be sent: ``reason`` says why)."""

    __tablename__ = "review_requests"
    __table_args__ = (Index(None, "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    won_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    review_item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id"))
    reason: Mapped[str] = mapped_column(String(255), default="", server_default="")


class LeadRating(Base):
    """A rating the customer gave the job (``rating`` out of ``scale``): from a reply to a
    text, a review platform's notification, or typed in by a person from a call. A low one
    pauses the lead's review request (the guides' bad-experience pause).

    ``evidence`` is the words it was read from, internal only, kept so a person can check it.
    """

    __tablename__ = "lead_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    rating: Mapped[int] = mapped_column(SmallInteger)
    scale: Mapped[int] = mapped_column(SmallInteger, default=5)
    source: Mapped[str] = mapped_column(String(64))  # a provider, or "desk"
    evidence: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[str] = mapped_column(String(120))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
