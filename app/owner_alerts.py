"""Every owner alert goes through ``alert``: the row the desk's tray shows, and, for a person
with no desk open, an internal message through the queue the automation layer sends from.

Worth waking someone for (``_URGENT_KINDS``, or an urgent task): an escalation, a breach, a
task about to breach, or an urgent task (priority 1) assigned. A routine assignment waits for
the desk. "No desk open": ``users.desk_seen_at`` older than ``PRESENCE_WINDOW`` (three desk
heartbeats, so one late beat does not page anybody) or never set.

The message is internal (``internal``, ``user_id``): it goes to staff, so the client's quiet
hours and the lead's consent do not apply, and no reader shows it as a message to the lead.
``messages.lead_id`` is NOT NULL, so an alert about a task with no lead gets no message; the
desk still shows it. The body is in our own words (task, lead, client, due time), never text
from a provider's payload.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app import audit
from db.models import Client, Lead, Message, OwnerAlert, OwnerTask, User
from db.vocab import AlertKind, MessageStatus

HEARTBEAT = timedelta(seconds=60)  # how often an open desk says so (ui.presence)
PRESENCE_WINDOW = 3 * HEARTBEAT
_URGENT_KINDS = frozenset({AlertKind.ESCALATED, AlertKind.BREACH, AlertKind.DUE_SOON})
_ADDRESS = {"sms": "phone", "email": "email"}


def alert(
    session: Session,
    task: OwnerTask,
    user: User | None,
    kind: AlertKind,
    text: str,
    *,
    now: datetime,
    actor: str,
    source: str,
) -> OwnerAlert:
    """Add the alert for ``user`` (None: any supervisor's inbox) about ``task``, and queue its
    internal message when the person should be reached away from the desk."""
    row = OwnerAlert(
        user_id=user.id if user is not None else None,
        kind=kind,
        owner_task_id=task.id,
        client_id=task.client_id,
        lead_id=task.lead_id,
        message=text[:255],
        created_at=now,
    )
    session.add(row)
    if user is None or task.lead_id is None or not _worth_waking(task, kind):
        return row
    recipient = _address(user)
    if recipient is None or not desk_closed(user, now):
        return row
    session.flush()
    lead = session.get(Lead, task.lead_id)
    assert lead is not None
    message = Message(
        lead_id=lead.id,
        client_id=lead.client_id,
        idempotency_key=f"owner-alert:{row.id}",
        channel=user.alert_channel,
        recipient=recipient,
        body=_body(session, task, lead, kind),
        compliance_note="internal owner alert to staff: client quiet hours and lead consent do not apply",
        queued_at=now,
        owner=actor,
        source=source,
        status=MessageStatus.QUEUED,
        recovery="the alert stays in the person's desk inbox",
        internal=True,
        user_id=user.id,
    )
    session.add(message)
    session.flush()
    row.message_id = message.id
    audit.record(
        session,
        actor=actor,
        source=source,
        action="owner_alert.queued",
        entity="owner_alert",
        entity_id=row.id,
        lead_id=lead.id,
        client_id=lead.client_id,
        recovery="the alert stays in the person's desk inbox",
        detail={"internal": True, "to": user.login, "channel": user.alert_channel, "message_id": message.id},
    )
    return row


def desk_closed(user: User, now: datetime) -> bool:
    """No heartbeat from the person's desk within the presence window."""
    return user.desk_seen_at is None or now - user.desk_seen_at > PRESENCE_WINDOW


def _worth_waking(task: OwnerTask, kind: AlertKind) -> bool:
    return kind in _URGENT_KINDS or (kind == AlertKind.ASSIGNED and task.priority <= 1)


def _address(user: User) -> str | None:
    column = _ADDRESS.get(user.alert_channel)
    return getattr(user, column) or None if column else None


_OPENING = {
    AlertKind.ASSIGNED: "Urgent task for you",
    AlertKind.ESCALATED: "Escalated to you",
    AlertKind.BREACH: "Past due and escalated",
    AlertKind.DUE_SOON: "Due in minutes",
}


def _body(session: Session, task: OwnerTask, lead: Lead, kind: AlertKind) -> str:
    client = session.get(Client, lead.client_id)
    who = lead.name or f"lead #{lead.id}"
    due = task.due_at.strftime("%H:%M UTC")
    return f"Review Desk: {_OPENING[kind]}: {task.title}. Lead: {who}, {client.name if client else ''}. Due {due}."
