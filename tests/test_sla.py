"""Due times from the client's rules, and escalation of owner tasks past due: once, however
many cycles or workers run it. On SQLite, PostgreSQL and MariaDB, with the clock passed in."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from app.cycle import run_cycle
from app.pipeline.poller import PollConfig
from app.response_window import load_rules
from app.services.sla import escalate_breaches
from db.engine import Database
from db.models import AuditEntry, ClientSlaPolicy, MessageTemplate, OwnerAlert, OwnerTask
from db.types import utcnow
from db.vocab import AlertKind, Role
from tests.roster import HOUR, NOW, client, new_tasks, person, task

MINUTE = timedelta(minutes=1)


def test_the_clients_policy_then_a_shorter_template_window_then_the_default(database: Database) -> None:
    acme, other = client(database), client(database, "other")
    with database.write() as session:
        session.add(ClientSlaPolicy(client_id=acme, source="thumbtack", response_minutes=240))
        for client_id, minutes in ((acme, 20), (None, 45)):
            session.add(
                MessageTemplate(
                    client_id=client_id,
                    name="follow up",
                    workflow="new_lead_follow_up",
                    channel="sms",
                    body="Hi",
                    response_window_minutes=minutes,
                    approved=True,
                )
            )
        session.add(  # not approved: its window does not count
            MessageTemplate(
                client_id=other, name="x", workflow="new_lead_follow_up", channel="email", body="Hi", approved=False
            )
        )
    with database.read() as session:
        rules = load_rules(session, [acme, other, None])
    hour = timedelta(hours=1)
    assert rules.window(acme, "thumbtack", "new_lead_follow_up", hour) == 240 * MINUTE, "the client's own policy"
    assert rules.window(acme, "web_form", "new_lead_follow_up", hour) == 20 * MINUTE, "the client's template"
    assert rules.window(other, "web_form", "new_lead_follow_up", hour) == 45 * MINUTE, "the agency-wide one"
    assert rules.window(other, "web_form", "new_lead_follow_up", 15 * MINUTE) == 15 * MINUTE, "never longer"
    assert rules.window(other, "web_form", "review_request", hour) == hour, "no template: the default"


def escalations(db: Database) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "owner_task.escalated")))


def test_a_task_past_due_goes_to_the_escalation_contact_once(database: Database) -> None:
    riley = person(database, "riley")
    contact = person(database, "casey", on_duty=False)  # escalated to whether on duty or not
    supervisor = person(database, "sam", Role.SUPERVISOR)
    (task_id,) = new_tasks(database, 1, client(database, contact=contact), due_in=HOUR)
    assert escalate_breaches(database, NOW + HOUR) == 0, "due, not past due"
    assert task(database, task_id).escalated_at is None

    later = NOW + HOUR + MINUTE
    assert escalate_breaches(database, later) == 1
    row = task(database, task_id)
    assert (row.assignee_id, row.owner, row.priority, row.escalated_at) == (contact, "casey", 1, later)
    assert row.assigned_reason == "past due: escalated to the client's escalation contact"
    assert escalate_breaches(database, later + MINUTE) == 0
    assert escalate_breaches(database, later + HOUR) == 0
    assert escalations(database) == [task_id]
    with database.read() as session:
        alerts = session.execute(select(OwnerAlert.user_id, OwnerAlert.kind).order_by(OwnerAlert.id)).all()
    assert alerts == [(riley, AlertKind.ASSIGNED), (contact, AlertKind.ESCALATED), (supervisor, AlertKind.BREACH)]


def test_without_an_escalation_contact_the_supervisor_on_duty_takes_it(database: Database) -> None:
    person(database, "riley")
    person(database, "sam", Role.SUPERVISOR, on_duty=False)
    lee = person(database, "lee", Role.SUPERVISOR)
    (task_id,) = new_tasks(database, 1, client(database))
    assert escalate_breaches(database, NOW + 2 * HOUR) == 1
    row = task(database, task_id)
    assert (row.assignee_id, row.assigned_reason) == (lee, "past due: escalated to the supervisor on duty")
    with database.read() as session:
        kinds = session.scalars(select(OwnerAlert.kind).where(OwnerAlert.user_id == lee)).all()
    assert kinds == [AlertKind.ESCALATED], "the supervisor who took it is not told twice"


def test_with_nobody_to_escalate_to_the_task_stays_and_the_breach_waits_for_any_supervisor(
    database: Database,
) -> None:
    riley = person(database, "riley")
    (task_id,) = new_tasks(database, 1, client(database))
    assert escalate_breaches(database, NOW + 2 * HOUR) == 1
    row = task(database, task_id)
    assert (row.assignee_id, row.assigned_reason) == (riley, "past due: nobody to escalate to")
    with database.read() as session:
        breach = session.scalars(select(OwnerAlert).where(OwnerAlert.kind == AlertKind.BREACH)).one()
    assert breach.user_id is None


def test_two_workers_at_once_escalate_each_task_once(database: Database) -> None:
    person(database, "riley")
    person(database, "sam", Role.SUPERVISOR)
    ids = new_tasks(database, 150, client(database))  # more than one batch
    start = threading.Barrier(2)
    counted: list[int] = []

    def worker() -> None:
        start.wait()
        while done := escalate_breaches(database, NOW + 2 * HOUR):
            counted.append(done)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counted) == 150
    assert sorted(escalations(database)) == ids
    with database.read() as session:
        assert session.scalar(select(func.count()).where(OwnerTask.escalated_at.is_(None))) == 0


def test_the_cycle_escalates(database: Database, poll_config: PollConfig) -> None:
    person(database, "riley", on_duty=False)
    (task_id,) = new_tasks(database, 1, None, now=utcnow() - 2 * HOUR)
    result = run_cycle(database, poll_config, actor="worker", source="worker", rules=False)
    assert result.escalated == 1 and "1 owner tasks past due escalated" in result.summary()
    assert task(database, task_id).escalated_at is not None
    assert run_cycle(database, poll_config, actor="worker", source="worker", rules=False).escalated == 0
