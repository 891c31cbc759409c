"""What leaves the desk: templated messages, CRM handoffs and portal-safe notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Tracked
from db.types import BigText, Json, UtcDateTime, utcnow


class MessageTemplate(Base):
    """An approved template: the only text a message may be built from."""

    __tablename__ = "message_templates"
    __table_args__ = (Index(None, "client_id", "workflow", "channel"),)
    # Server defaults are read when used, not RETURNed by the insert (see ``compliance_text``).
    __mapper_args__ = {"eager_defaults": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    name: Mapped[str] = mapped_column(String(120))
    workflow: Mapped[str] = mapped_column(String(48))
    channel: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(BigText)
    opt_out_text: Mapped[str] = mapped_column(String(255), default="")
    # Wording the message must carry, like the opt-out text (a review request's "every
    # honest review is welcome, good or bad": no incentive, no gating). A server default only,
    # so a template written without it inserts on a schema older than 0011 too.
    compliance_text: Mapped[str] = mapped_column(String(255), server_default="")
    response_window_minutes: Mapped[int] = mapped_column(Integer, default=60)
    escalation_rule: Mapped[str] = mapped_column(String(255), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApprovedSnippet(Base):
    """A sentence or fact a supervisor approved for drafts about one client (and service).

    With the approved templates, this is all the material an AI draft may use: the prompt
    carries nothing else client-facing. ``service`` empty means any of the client's services;
    ``client_id`` empty means every client. Edits bump ``version`` so a draft that cites a
    snippet can be traced to the wording it saw.
    """

    __tablename__ = "approved_snippets"
    __table_args__ = (Index(None, "client_id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    service: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Message(Tracked, Base):
    """A message in the queue the automation layer sends from; ``status`` is its send state.

    ``internal``: an owner alert to a member of staff (``user_id``), never to the lead or the
    client; ``lead_id`` then names the lead the alert is about, not the recipient."""

    __tablename__ = "messages"
    # (queued_at): the KPIs' messages queued in a period, whatever their send state (0014).
    __table_args__ = (Index(None, "status", "queued_at"), Index(None, "queued_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("message_templates.id"))
    template_version: Mapped[int | None] = mapped_column(Integer)  # the version it was approved under
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(254))
    body: Mapped[str] = mapped_column(BigText)
    compliance_note: Mapped[str] = mapped_column(String(255), default="")
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(String(1000))
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


class CrmHandoff(Tracked, Base):
    """An approved CRM payload in the transactional outbox, pushed with its idempotency key."""

    __tablename__ = "crm_handoffs"
    # (adapter, external_id): a CRM's own change to a deal finds its lead. (status, pushed_at)
    # and (status, updated_at): the KPIs' pushes and failures in a period (0014).
    __table_args__ = (
        Index(None, "status", "next_attempt_at"),
        Index(None, "adapter", "external_id"),
        Index(None, "status", "pushed_at"),
        Index(None, "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_item_id: Mapped[int | None] = mapped_column(ForeignKey("review_items.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    integration_account_id: Mapped[int | None] = mapped_column(ForeignKey("integration_accounts.id"))
    adapter: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    external_id: Mapped[str | None] = mapped_column(String(120))
    pushed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When its retry window began: the approval, or a person's retry after a failure.
    retry_from: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PortalNote(Tracked, Base):
    """A reviewed, approved note the client sees in their portal. Client-safe fields only."""

    __tablename__ = "portal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    review_item_id: Mapped[int] = mapped_column(ForeignKey("review_items.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(BigText)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
