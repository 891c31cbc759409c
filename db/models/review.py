"""What a reviewer sees: review items, their drafts and the risk flags beside them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Computed,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import BigText, Json, UtcDateTime
from db.vocab import QUEUE_STATUSES_SQL

IS_OPEN_SQL = f"CASE WHEN status IN ({QUEUE_STATUSES_SQL}) THEN 1 ELSE 0 END"


class ReviewItem(Tracked, Base):
    """One thing the automation wants to send, waiting for a person.

    ``status`` follows the state machine in DESIGN.md. ``version`` increases on every change so
    an action prepared against an older copy is refused instead of overwriting newer work.
    The display columns (``lead_label``, ``flag_codes``, ``top_severity``) are denormalised so
    the queue can sort and filter a million rows without joins.
    """

    __tablename__ = "review_items"
    # Every queue view is "one filter + open (or not), in one order": each filter gets an index
    # of exactly that shape, so a page is read straight off the index, in order, even with a
    # million items. ``is_open`` is one value where ``status IN (...)`` would be several, which
    # SQLite cannot read in index order.
    __table_args__ = (
        Index(None, "is_open", "priority", "sla_due_at"),
        Index(None, "is_open", "arrived_at"),
        Index(None, "is_open", "sla_due_at"),
        Index(None, "is_open", "top_severity", "priority", "sla_due_at"),
        Index(None, "kind", "is_open", "priority", "sla_due_at"),
        Index(None, "client_id", "is_open", "priority", "sla_due_at"),
        Index(None, "workflow", "is_open", "priority", "sla_due_at"),
        Index(None, "provider", "is_open", "priority", "sla_due_at"),
        Index(None, "claimed_by_id", "is_open", "priority", "sla_due_at"),
        Index(None, "assignee_id", "is_open", "priority", "sla_due_at"),
        Index(None, "status", "release_at"),
        Index(None, "arrived_at"),
        Index(None, "lead_id"),
        Index(None, "is_open", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    workflow: Mapped[str] = mapped_column(String(48))
    provider: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(SmallInteger, default=3)  # 1 = most urgent
    # When the signal reached the agency: the SLA clock and the queue's age start here.
    arrived_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sla_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lead_label: Mapped[str] = mapped_column(String(200), default="")
    top_severity: Mapped[int] = mapped_column(SmallInteger, default=0)
    flag_codes: Mapped[str] = mapped_column(String(255), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Whom the roster gave it to, for clients whose items are assigned ("Mine"); anyone may
    # still claim it.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    final_text: Mapped[str | None] = mapped_column(BigText)
    edit_class: Mapped[str | None] = mapped_column(String(16))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reject_reason: Mapped[str | None] = mapped_column(String(64))
    reject_note: Mapped[str | None] = mapped_column(String(1000))
    hold_reason: Mapped[str | None] = mapped_column(String(255))
    # An approval's outbound effect waits until then, so it can be undone until it leaves.
    release_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Derived by the database from status (1 while the item is in the open queue), so no code
    # path can forget to keep it right.
    is_open: Mapped[int] = mapped_column(SmallInteger, Computed(IS_OPEN_SQL), nullable=True)


class Draft(Tracked, Base):
    """A version of the proposed text. AI output is a draft until a person approves it."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("review_item_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"))
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    drafter: Mapped[str] = mapped_column(String(32))
    internal_summary: Mapped[str] = mapped_column(BigText)
    client_text: Mapped[str] = mapped_column(BigText)
    next_action: Mapped[str] = mapped_column(String(255), default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    model: Mapped[str | None] = mapped_column(String(120))
    prompt_version: Mapped[str | None] = mapped_column(String(32))
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    tokens_in: Mapped[int | None] = mapped_column(Integer)
    tokens_out: Mapped[int | None] = mapped_column(Integer)
    input_hash: Mapped[str] = mapped_column(String(64), default="")
    instruction: Mapped[str | None] = mapped_column(String(500))
    # What the draft was grounded on: {"template_id": int | None, "snippet_ids": [int, ...]}.
    grounding: Mapped[dict[str, Any] | None] = mapped_column(Json)


class RiskFlag(Tracked, Base):
    """A reason for a reviewer to look twice, with the evidence that triggered it.

    ``field`` names the text the span points into (``client_text`` or ``internal_summary``);
    ``source`` is ``rule`` or ``ai``.
    """

    __tablename__ = "risk_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"))
    code: Mapped[str] = mapped_column(String(48))
    severity: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(String(255))
    evidence: Mapped[str] = mapped_column(String(1000), default="")
    field: Mapped[str | None] = mapped_column(String(32))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
