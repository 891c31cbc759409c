"""A lead's timeline: every event, draft, message, handoff and audit entry, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, CrmHandoff, Draft, Event, Message, ReviewItem

LIMIT = 500


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # event, draft, message, handoff, audit
    summary: str
    actor: str = ""


def lead_timeline(session: Session, lead_id: int) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for at, type_, provider in session.execute(
        select(Event.occurred_at, Event.type, Event.provider)
        .where(Event.lead_id == lead_id)
        .order_by(Event.occurred_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "event", f"{type_} from {provider}", provider))
    for at, number, drafter, kind in session.execute(
        select(Draft.created_at, Draft.version_no, Draft.drafter, ReviewItem.kind)
        .join(ReviewItem, ReviewItem.id == Draft.review_item_id)
        .where(ReviewItem.lead_id == lead_id)
        .order_by(Draft.created_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "draft", f"{kind.replace('_', ' ')} draft v{number}", drafter))
    for at, channel, status, body in session.execute(
        select(Message.created_at, Message.channel, Message.status, Message.body)
        .where(Message.lead_id == lead_id)
        .order_by(Message.created_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "message", f"{channel} message {status}: {body[:80]}"))
    for at, adapter, status in session.execute(
        select(CrmHandoff.created_at, CrmHandoff.adapter, CrmHandoff.status)
        .where(CrmHandoff.lead_id == lead_id)
        .order_by(CrmHandoff.created_at.desc())
        .limit(LIMIT)
    ):
        entries.append(TimelineEntry(at, "handoff", f"CRM handoff via {adapter}: {status}"))
    for at, action, actor, outcome in session.execute(
        select(AuditEntry.at, AuditEntry.action, AuditEntry.actor, AuditEntry.outcome)
        .where(AuditEntry.lead_id == lead_id)
        .order_by(AuditEntry.at.desc())
        .limit(LIMIT)
    ):
        suffix = "" if outcome == "ok" else f" ({outcome})"
        entries.append(TimelineEntry(at, "audit", f"{action.replace('_', ' ')}{suffix}", actor))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:LIMIT]
