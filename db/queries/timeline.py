"""A lead's timeline: every event, draft, message, handoff, owner task and audit entry, newest
first. A task is there from its creation, and its history (assigned, escalated, called back,
snoozed, done) through its audit entries, which name the task.

Each entry carries the facts of what happened (codes, names, notes) rather than a sentence:
the window words them (``app.words``), so no stored code reaches the reviewer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, CrmHandoff, Draft, Event, Message, OwnerTask, ReviewItem, User
from db.vocab import ItemStatus

LIMIT = 500
REJECTED = "review_item.rejected"
TASK_ACTION = "owner_task."  # the prefix of every audit action about an owner task


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # event, draft, message, handoff, task, audit
    # The code of what happened: event type, item kind, message, handoff or task status, audit action.
    what: str
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
        # An internal owner alert went to staff, not to the lead: its audit entry tells it.
        .where(Message.lead_id == lead_id, Message.internal.is_(False))
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
    entries += with_task_facts(session, _audit_entries(session, lead_id))
    # After the audit entries: a task created and assigned at one moment lists its creation last.
    entries += task_entries(session, OwnerTask.lead_id == lead_id, LIMIT)
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
    for at, action, actor, outcome, item_id, entity_id, detail in session.execute(
        select(
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.actor,
            AuditEntry.outcome,
            AuditEntry.review_item_id,
            AuditEntry.entity_id,
            AuditEntry.detail,
        )
        .where(AuditEntry.lead_id == lead_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(LIMIT)
    ):
        facts = dict(detail or {})
        if action == REJECTED and "note" not in facts and notes.get(item_id):
            facts["note"] = notes.pop(item_id)  # newest first: only the rejection in force
        if action.startswith(TASK_ACTION):
            facts["task_id"] = entity_id
        found.append(TimelineEntry(at, "audit", action, actor, facts, outcome))
    return found


def task_entries(session: Session, where: ColumnElement[bool], limit: int) -> list[TimelineEntry]:
    """Owner tasks as timeline entries (kind ``task``, what: its status), at their creation."""
    return [
        TimelineEntry(
            created_at, "task", status, source, {"task_id": task_id, "task": title, "reason": reason, "due_at": due_at}
        )
        for task_id, created_at, status, source, title, reason, due_at in session.execute(
            select(
                OwnerTask.id,
                OwnerTask.created_at,
                OwnerTask.status,
                OwnerTask.source,
                OwnerTask.title,
                OwnerTask.reason,
                OwnerTask.due_at,
            )
            .where(where)
            .order_by(OwnerTask.created_at.desc(), OwnerTask.id.desc())
            .limit(limit)
        )
    ]


def with_task_facts(session: Session, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Task audit entries (``task_id`` in their facts) with what their sentences name: the
    task's title (``task``) and the display name of whom it went to (``to_name``)."""
    about = [e for e in entries if e.what.startswith(TASK_ACTION)]
    if not about:
        return entries
    task_ids = {e.facts["task_id"] for e in about if e.facts.get("task_id") is not None}
    logins = {str(e.facts["to"]) for e in about if e.facts.get("to")}
    titles = dict(session.execute(select(OwnerTask.id, OwnerTask.title).where(OwnerTask.id.in_(task_ids))).all())
    names = dict(session.execute(select(User.login, User.display_name).where(User.login.in_(logins))).all())
    return [
        replace(
            e,
            facts={
                **e.facts,
                "task": titles.get(e.facts.get("task_id"), ""),
                "to_name": names.get(str(e.facts.get("to") or ""), str(e.facts.get("to") or "")),
            },
        )
        if e.what.startswith(TASK_ACTION)
        else e
        for e in entries
    ]
