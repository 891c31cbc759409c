"""Owner alerts reach a person with no desk open as an internal message in the send queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.cli import main
from app.desk.types import Database
from app.duty import assign_new
from app.identity import Actor
from app.runtime import Runtime
from app.services.errors import ActionRefused
from app.services.presence import mark_desk_seen
from app.services.sla import alert_due_soon, escalate_breaches
from app.services.users import set_alert_contact
from db.models import AuditEntry, Lead, Message, OwnerAlert, OwnerTask, User
from db.queries.timeline import lead_timeline
from db.vocab import AlertKind, MessageStatus, Role, TaskStatus
from tests.desk_fixtures import DeskFactory
from tests.helpers import run_async
from tests.roster import HOUR, NOW, client, person
from tests.waiting import PATIENCE_MS
from ui.detail.sentences import sentence
from ui.presence import DeskPresence
from ui.tasks import TaskRunner

MINUTE = timedelta(minutes=1)


def reachable(db: Database, user_id: int, phone: str | None = "+15555550123", channel: str = "sms") -> None:
    with db.write() as session:
        session.execute(update(User).where(User.id == user_id).values(phone=phone, alert_channel=channel))


def lead_task(db: Database, client_id: int, *, priority: int = 1, due_in: timedelta = HOUR) -> tuple[int, int]:
    """A lead and its owner task, created and assigned by the roster at ``NOW``."""
    with db.write() as session:
        lead = Lead(client_id=client_id, name="Pat Doe", phone="+15555550199", source="test", status="open")
        session.add(lead)
        session.flush()
        row = OwnerTask(
            client_id=client_id,
            lead_id=lead.id,
            title="Call back the missed call",
            reason="test",
            priority=priority,
            due_at=NOW + due_in,
            source="test",
            status=TaskStatus.OPEN,
        )
        session.add(row)
        session.flush()
        assign_new(session, [row], actor="pipeline", source="test", now=NOW)
        return lead.id, row.id


def internal_messages(db: Database) -> list[tuple[int | None, str, str, str]]:
    with db.read() as session:
        return [
            (m.user_id, m.channel, m.recipient, m.body)
            for m in session.scalars(select(Message).where(Message.internal.is_(True)).order_by(Message.id))
        ]


def test_an_urgent_task_for_a_person_with_no_desk_open_queues_one_internal_sms(database: Database) -> None:
    lee = person(database, "lee")
    reachable(database, lee)
    lead_id, task_id = lead_task(database, client(database))
    ((user_id, channel, recipient, body),) = internal_messages(database)
    assert (user_id, channel, recipient) == (lee, "sms", "+15555550123")
    assert body == "Review Desk: Urgent task for you: Call back the missed call. Lead: Pat Doe, Acme. Due 10:00 UTC."
    with database.read() as session:
        message = session.scalar(select(Message).where(Message.internal.is_(True)))
        alert = session.scalar(select(OwnerAlert).where(OwnerAlert.owner_task_id == task_id))
        queued = session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "owner_alert.queued")).all()
        lead = session.get(Lead, lead_id)
        timeline = lead_timeline(session, lead_id)
    assert (message.status, message.lead_id, message.idempotency_key) == (
        MessageStatus.QUEUED,
        lead_id,
        f"owner-alert:{alert.id}",
    )
    assert alert.message_id == message.id and queued == [alert.id]
    assert lead.first_response_at is None, "an alert to staff is no response to the lead"
    assert not [e for e in timeline if e.kind == "message"], "not shown as a message to the lead"
    assert "Owner alert to lee by SMS (internal, never to the lead)" in [
        sentence(e) for e in timeline if e.what == "owner_alert.queued"
    ]


def test_a_desk_open_within_the_window_gets_no_message(database: Database) -> None:
    lee = person(database, "lee")
    reachable(database, lee)
    mark_desk_seen(database, lee, NOW - 2 * MINUTE)
    lead_task(database, client(database))
    assert internal_messages(database) == []


def test_a_routine_assignment_or_no_channel_gets_no_message(database: Database) -> None:
    lee = person(database, "lee")
    reachable(database, lee)
    acme = client(database)
    lead_task(database, acme, priority=2)
    reachable(database, lee, phone=None)  # sms chosen but no number: the desk only
    lead_task(database, acme)
    with database.read() as session:
        alerts = session.scalars(select(OwnerAlert.message_id)).all()
    assert internal_messages(database) == [] and alerts == [None, None]


def test_an_escalation_reaches_the_new_person(database: Database) -> None:
    riley = person(database, "riley")
    casey = person(database, "casey", on_duty=False)
    reachable(database, casey, phone=None)
    with database.write() as session:
        session.execute(update(User).where(User.id == casey).values(email="casey@example.com", alert_channel="email"))
    mark_desk_seen(database, riley, NOW)
    lead_task(database, client(database, contact=casey), priority=2)
    assert escalate_breaches(database, NOW + HOUR + MINUTE) == 1
    ((user_id, channel, recipient, body),) = internal_messages(database)
    assert (user_id, channel, recipient) == (casey, "email", "casey@example.com")
    assert body.startswith("Review Desk: Escalated to you: Call back the missed call.")


def test_a_task_due_in_minutes_alerts_once_across_cycles(database: Database) -> None:
    lee = person(database, "lee")
    reachable(database, lee)
    _, task_id = lead_task(database, client(database), priority=2, due_in=HOUR)
    assert alert_due_soon(database, NOW + 50 * MINUTE, actor="rule", source="test") == 0, "not yet due soon"
    assert alert_due_soon(database, NOW + 56 * MINUTE, actor="rule", source="test") == 1
    assert alert_due_soon(database, NOW + 57 * MINUTE, actor="rule", source="test") == 0
    assert alert_due_soon(database, NOW + 59 * MINUTE, actor="rule", source="test") == 0
    with database.read() as session:
        kinds = session.scalars(select(OwnerAlert.kind).where(OwnerAlert.owner_task_id == task_id)).all()
    assert kinds == [AlertKind.ASSIGNED, AlertKind.DUE_SOON]
    ((user_id, _, _, body),) = internal_messages(database)
    assert user_id == lee and body.startswith("Review Desk: Due in minutes:")


def test_the_desk_heartbeat_marks_the_person_seen_and_closed(database: Database, qtbot: Any, qloop: Any) -> None:
    lee = person(database, "lee")
    runner = TaskRunner()
    presence = DeskPresence(runner, database, Actor(lee, "lee", Role.REVIEWER))

    def seen() -> datetime | None:
        with database.read() as session:
            return session.get(User, lee).desk_seen_at

    presence.start()
    qtbot.waitUntil(lambda: seen() is not None and not runner.busy, timeout=PATIENCE_MS)
    assert presence.timer.isActive() and presence.timer.interval() == 60_000
    run_async(qtbot, presence.close())
    assert seen() is None and not presence.timer.isActive()
    run_async(qtbot, runner.shutdown())


def test_the_cli_sets_a_persons_alert_contact_and_refuses_a_bad_phone(
    database: Database, empty_db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    login = Runtime.create(empty_db_url).identify(database).login  # who the CLI acts as
    assert main(["users", "contact", login, "--phone", "(202) 555-0142", "--channel", "sms", "--db", empty_db_url]) == 0
    assert capsys.readouterr().out.strip() == f"{login}: owner alerts reach them by sms"
    assert main(["users", "contact", login, "--phone", "12", "--channel", "sms", "--db", empty_db_url]) == 2
    said = capsys.readouterr().err
    assert "'12' is not a valid phone number" in said
    assert (
        main(["users", "contact", login, "--email", "Lee@Example.COM", "--channel", "email", "--db", empty_db_url]) == 0
    )
    with database.read() as session:
        user = session.scalar(select(User).where(User.login == login))
        refusals = session.scalars(
            select(AuditEntry.outcome).where(AuditEntry.action == "user.alert_contact", AuditEntry.entity_id == user.id)
        ).all()
    assert (user.phone, user.email, user.alert_channel) == ("+12025550142", "lee@example.com", "email")
    assert refusals == ["refused"]


def test_only_a_supervisor_or_the_person_sets_the_contact(database: Database) -> None:
    lee = person(database, "lee")
    riley = person(database, "riley")
    with pytest.raises(ActionRefused, match="Only a supervisor"):
        set_alert_contact(database, Actor(riley, "riley", Role.REVIEWER), "lee", phone="+12025550142", channel="sms")
    with pytest.raises(ActionRefused, match="Alerts by sms need lee's phone number"):
        set_alert_contact(database, Actor(lee, "lee", Role.REVIEWER), "lee", channel="sms")
    set_alert_contact(database, Actor(lee, "lee", Role.REVIEWER), "lee", phone="+1 202 555 0142", channel="sms")
    with database.read() as session:
        assert session.get(User, lee).phone == "+12025550142"


def test_an_open_desk_counts_as_open_and_a_closed_one_as_closed(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, login="lee")
    qtbot.waitUntil(lambda: seen_at(sqlite_database, "lee") is not None, timeout=PATIENCE_MS)
    run_async(qtbot, desk.stop())
    assert seen_at(sqlite_database, "lee") is None


def seen_at(database: Database, login: str) -> datetime | None:
    with database.read() as session:
        return session.scalar(select(User.desk_seen_at).where(User.login == login))
