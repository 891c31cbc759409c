"""Escalation of owner tasks past due, a step of every cycle.

A task still open after its due time, and not escalated yet, goes to the client's escalation
contact (on duty or not: that is who the client named), else the supervisor on duty (named in
Settings, else on the roster, else the first supervisor), one priority higher, with
``escalated_at`` set, an audit entry, an alert to the person who now has it and a ``breach``
alert to the supervisor on duty. With nobody to escalate to it stays where it is, escalated,
and the breach alert has no person (every supervisor's inbox can show it). The alerts are
``owner_alerts`` rows (not only audit entries) because the person reads them: the Tasks inbox
and tray alerts mark them read, which the append-only audit log cannot.

Bounded and resumable like the other steps: at most ``ESCALATION_BATCH`` tasks a cycle, each
batch one transaction. Idempotent: a task is escalated once, whatever the number of cycles;
two workers at once lock the rows they take (``FOR UPDATE SKIP LOCKED``; SQLite's single
writer does the same), and a task escalated by one no longer matches the other's query.

Due times of new items and tasks come from the client's rules: ``app.response_window``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.duty import OnDuty, Roster, give, supervisor_on_duty
from app.owner_alerts import PRESENCE_WINDOW, alert
from db.engine import Database
from db.models import OwnerAlert, OwnerTask, User
from db.types import utcnow
from db.vocab import AlertKind, TaskStatus

ESCALATION_BATCH = 100
DUE_SOON = timedelta(minutes=5)


def escalate_breaches(
    database: Database,
    now: datetime | None = None,
    *,
    actor: str = "worker",
    source: str = "worker",
    on_duty: str = "",
) -> int:
    """Escalate the open tasks past due at ``now`` (default: the clock); returns how many.

    ``on_duty``: the supervisor named in Settings, who comes before the roster's."""
    with database.write() as session:
        now = now or utcnow()
        tasks = session.scalars(
            select(OwnerTask)
            .where(OwnerTask.status == TaskStatus.OPEN, OwnerTask.escalated_at.is_(None), OwnerTask.due_at < now)
            .order_by(OwnerTask.due_at, OwnerTask.id)
            .limit(ESCALATION_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        if not tasks:
            return 0
        roster = Roster(session, now)
        supervisor, _ = supervisor_on_duty(session, on_duty, now, roster)
        for task in tasks:
            person, reason = _escalation_target(session, roster, task, supervisor)
            task.escalated_at = now
            task.priority = max(1, task.priority - 1)
            if person is None:  # nobody to give it to: it stays where it is, and says so
                person = session.get(User, task.assignee_id) if task.assignee_id else None
            give(
                session,
                task,
                person,
                reason,
                actor=actor,
                source=source,
                now=now,
                alert=AlertKind.ESCALATED,
                action="owner_task.escalated",
            )
            if isinstance(person, OnDuty):
                roster.took(person)
            if supervisor is None or person is None or supervisor.id != person.id:
                boss = (
                    supervisor
                    if supervisor is None or isinstance(supervisor, User)
                    else session.get(User, supervisor.id)
                )
                text = f"Past due: {task.title} ({reason})"
                alert(session, task, boss, AlertKind.BREACH, text, now=now, actor=actor, source=source)
        return len(tasks)


def _escalation_target(
    session: Session, roster: Roster, task: OwnerTask, supervisor: User | OnDuty | None
) -> tuple[User | OnDuty | None, str]:
    contact_id = roster.client_user(task.client_id, "escalation_contact_id")
    if contact_id is not None:
        contact = roster.people.get(contact_id) or session.get(User, contact_id)
        if isinstance(contact, OnDuty) or (contact is not None and contact.active):
            return contact, "past due: escalated to the client's escalation contact"
    if supervisor is not None:
        return supervisor, "past due: escalated to the supervisor on duty"
    return None, "past due: nobody to escalate to"


def alert_due_soon(database: Database, now: datetime | None = None, *, actor: str, source: str) -> int:
    """Tell the assignee of each open task due within ``DUE_SOON`` whose desk is closed, once
    per task (a ``due_soon`` alert row says it was told); returns how many were told.

    Bounded, locked and idempotent like ``escalate_breaches``: one batch, one transaction."""
    with database.write() as session:
        now = now or utcnow()
        closed = select(User.id).where(or_(User.desk_seen_at.is_(None), User.desk_seen_at < now - PRESENCE_WINDOW))
        told = exists().where(OwnerAlert.owner_task_id == OwnerTask.id, OwnerAlert.kind == AlertKind.DUE_SOON)
        tasks = session.scalars(
            select(OwnerTask)
            .where(
                OwnerTask.status == TaskStatus.OPEN,
                OwnerTask.escalated_at.is_(None),
                OwnerTask.due_at >= now,
                OwnerTask.due_at <= now + DUE_SOON,
                OwnerTask.assignee_id.in_(closed),
                ~told,
            )
            .order_by(OwnerTask.due_at, OwnerTask.id)
            .limit(ESCALATION_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        for task in tasks:
            text = f"Due in minutes: {task.title}"
            alert(
                session,
                task,
                session.get(User, task.assignee_id),
                AlertKind.DUE_SOON,
                text,
                now=now,
                actor=actor,
                source=source,
            )
        return len(tasks)
