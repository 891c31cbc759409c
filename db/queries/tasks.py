"""Owner tasks as the desk reads them: open tasks most urgent first, their counts, and what
happened to one task.

A page is read in two steps, like the queue's: the ids alone, in order straight off an index
(``(status, due_at, priority)`` for all and overdue tasks, ``(assignee_id, status, due_at,
priority)`` for one person's), then the display columns of those ids only, so the first page
of 100,000 open tasks costs what a page of a hundred does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from db.models import AuditEntry, Client, Lead, OwnerTask, User
from db.queries.timeline import TimelineEntry, task_entries, with_task_facts
from db.vocab import TaskStatus

HISTORY_LIMIT = 200
URGENT = 1  # a task's most urgent priority (an escalation raises a task towards it)


@dataclass(frozen=True)
class TaskFilter:
    assignee_id: int | None = None  # "mine"
    overdue_at: datetime | None = None  # past due at this moment
    urgent: bool = False  # the most urgent priority only


@dataclass(frozen=True)
class TaskRow:
    """One open task as the Tasks view lists it. ``lead_label`` reads like the queue's lead
    column; ``assignee_login`` and ``assignee_name`` are "" when nobody has it."""

    id: int
    lead_id: int | None
    lead_label: str
    client_name: str
    title: str
    reason: str
    priority: int
    due_at: datetime
    created_at: datetime
    assignee_login: str
    assignee_name: str
    assigned_reason: str
    attempts: int
    escalated_at: datetime | None
    status: str


def contact_label(name: str | None, phone: str | None, email: str | None) -> str:
    """A lead as the queue names it (``app.pipeline.planner.lead_label`` writes the queue's):
    the name, else the caller's last four digits, else the email."""
    if name:
        return name[:200]
    if phone:
        return f"caller …{phone[-4:]}"
    return (email or "unknown contact")[:200]


def _conditions(filt: TaskFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [OwnerTask.status == TaskStatus.OPEN]
    if filt.assignee_id is not None:
        found.append(OwnerTask.assignee_id == filt.assignee_id)
    if filt.overdue_at is not None:
        found.append(OwnerTask.due_at < filt.overdue_at)
    if filt.urgent:
        found.append(OwnerTask.priority <= URGENT)
    return found


def open_task_rows(session: Session, filt: TaskFilter, limit: int) -> list[TaskRow]:
    """The first ``limit`` open tasks matching ``filt``: soonest due first, then priority."""
    ids = list(
        session.scalars(
            select(OwnerTask.id)
            .where(*_conditions(filt))
            .order_by(OwnerTask.due_at, OwnerTask.priority, OwnerTask.id)
            .limit(limit)
        )
    )
    found = {row.id: row for row in task_rows(session, ids)}
    return [found[i] for i in ids if i in found]


def task_rows(session: Session, ids: Iterable[int]) -> list[TaskRow]:
    """The display columns of the tasks ``ids`` (any state), in no particular order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    assignee = aliased(User)
    query = (
        select(
            OwnerTask.id,
            OwnerTask.lead_id,
            Lead.name,
            Lead.phone,
            Lead.email,
            Client.name,
            OwnerTask.title,
            OwnerTask.reason,
            OwnerTask.priority,
            OwnerTask.due_at,
            OwnerTask.created_at,
            assignee.login,
            assignee.display_name,
            OwnerTask.assigned_reason,
            OwnerTask.attempts,
            OwnerTask.escalated_at,
            OwnerTask.status,
        )
        .outerjoin(Lead, Lead.id == OwnerTask.lead_id)
        .outerjoin(Client, Client.id == OwnerTask.client_id)
        .outerjoin(assignee, assignee.id == OwnerTask.assignee_id)
        .where(OwnerTask.id.in_(wanted))
    )
    return [
        TaskRow(
            id=task_id,
            lead_id=lead_id,
            lead_label=contact_label(name, phone, email) if lead_id is not None else "",
            client_name=client or "",
            title=title,
            reason=reason,
            priority=priority,
            due_at=due_at,
            created_at=created_at,
            assignee_login=login or "",
            assignee_name=display_name or login or "",
            assigned_reason=assigned_reason,
            attempts=attempts,
            escalated_at=escalated_at,
            status=status,
        )
        for (
            task_id,
            lead_id,
            name,
            phone,
            email,
            client,
            title,
            reason,
            priority,
            due_at,
            created_at,
            login,
            display_name,
            assigned_reason,
            attempts,
            escalated_at,
            status,
        ) in session.execute(query)
    ]


def count_open_tasks(session: Session, filt: TaskFilter) -> int:
    """An index-only count of the open tasks matching ``filt``."""
    return session.scalar(select(func.count(OwnerTask.id)).where(*_conditions(filt))) or 0


def user_id_of(session: Session, login: str) -> int | None:
    """The active user called ``login``."""
    return session.scalar(select(User.id).where(User.login == login, User.active.is_(True)))


def active_users(session: Session) -> list[tuple[str, str]]:
    """(login, display name) of everyone who can take a task, by name."""
    return [
        (login, name or login)
        for login, name in session.execute(
            select(User.login, User.display_name).where(User.active.is_(True)).order_by(User.display_name, User.login)
        )
    ]


# --- what happened to a task --------------------------------------------------------------


def history_entries(session: Session, task_id: int) -> list[TimelineEntry]:
    """The task's creation and audit trail (refusals included), newest first, with the facts
    their sentences name (``with_task_facts``)."""
    entries = [
        TimelineEntry(at, "audit", action, actor, {**(detail or {}), "task_id": task_id}, outcome)
        for at, action, actor, outcome, detail in session.execute(
            select(AuditEntry.at, AuditEntry.action, AuditEntry.actor, AuditEntry.outcome, AuditEntry.detail)
            .where(AuditEntry.entity == "owner_task", AuditEntry.entity_id == task_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(HISTORY_LIMIT)
        )
    ]
    # The sort is stable: a task created and assigned at one moment lists its creation last.
    found = with_task_facts(session, entries) + task_entries(session, OwnerTask.id == task_id, 1)
    return sorted(found, key=lambda e: e.at, reverse=True)
