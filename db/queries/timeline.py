"""A lead's timeline: every event, draft, message, handoff and audit entry, newest first.

Each entry carries the facts of what happened (codes, names, notes) rather than a sentence:
the window words them (``app.words``), so no stored code reaches the reviewer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, CrmHandoff, Draft, Event, Message, ReviewItem
from db.vocab import ItemStatus

LIMIT = 500
REJECTED = "review_item.rejected"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # event, draft, message, handoff, audit
    what: str  # the code of what happened: event type, item kind, message or handoff status, audit action
    actor: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)  # provider, note, reason, edit_class, ...
    outcome: str = "ok"  # of an audit entry: ok, refused, failed


def lead_timeline(session: Session, lead_id: int) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for at, type_, provider in session.execute(
        select(Event.occurred_at, Event.type, Event.provider)
        .where(Event.lead_id == lead_id)
        .order_by(Event.occurred_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "event", type_, provider, {"provider": provider}))
    for at, number, drafter, kind in session.execute(
        select(Draft.created_at, Draft.version_no, Draft.drafter, ReviewItem.kind)
        .join(ReviewItem, ReviewItem.id == Draft.review_item_id)
        .where(ReviewItem.lead_id == lead_id)
        .order_by(Draft.created_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "draft", kind, drafter, {"version": number}))
    for at, channel, status, body in session.execute(
        select(Message.created_at, Message.channel, Message.status, Message.body)
        .where(Message.lead_id == lead_id)
        .order_by(Message.created_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "message", status, facts={"channel": channel, "body": body[:80]}))
    for at, adapter, status in session.execute(
        select(CrmHandoff.created_at, CrmHandoff.adapter, CrmHandoff.status)
        .where(CrmHandoff.lead_id == lead_id)
        .order_by(CrmHandoff.created_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "handoff", status, facts={"adapter": adapter}))
    entries += _audit_entries(session, lead_id)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:LIMIT]


def _audit_entries(session: Session, lead_id: int) -> list[TimelineEntry]:
    """The lead's audit trail. A rejection's note is kept on its item, not in the audit entry:
    the newest rejection of an item still rejected gets it from there."""
    notes = dict(
        session.execute(
            select(ReviewItem.id, ReviewItem.reject_note).where(
                ReviewItem.lead_id == lead_id, ReviewItem.status == ItemStatus.REJECTED
            )
        ).all()
    )
    found: list[TimelineEntry] = []
    for at, action, actor, outcome, item_id, detail in session.execute(
        select(
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.actor,
            AuditEntry.outcome,
            AuditEntry.review_item_id,
            AuditEntry.detail,
        )
        .where(AuditEntry.lead_id == lead_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(LIMIT)
    ):
        facts = dict(detail or {})
        if action == REJECTED and "note" not in facts and notes.get(item_id):
            facts["note"] = notes.pop(item_id)  # newest first: only the rejection in force
        found.append(TimelineEntry(at, "audit", action, actor, facts, outcome))
    return found
