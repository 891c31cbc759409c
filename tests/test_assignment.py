"""A new owner task reaches a person: the client's owner on duty, else the reviewer on duty
with the fewest open tasks, else the supervisor on duty, else nobody (and it says so); the
pipeline assigns in the transaction that creates the task; supervisors reassign. On SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.demo import ensure_demo_catalog
from app.duty import NOBODY, UNASSIGNED
from app.identity import Actor
from app.pipeline.poller import PollConfig, drain
from app.services.assignment import reassign
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import AuditEntry, ClientOwner, DutyShift, OwnerAlert, OwnerTask, User, WebhookEvent
from db.types import utcnow
from db.vocab import AlertKind, Role, WebhookStatus
from tests.roster import HOUR, NOW, client, login_of, new_tasks, person, task


def test_the_clients_owner_on_duty_gets_the_task_with_its_reason_audit_and_alert(database: Database) -> None:
    owner = person(database, "olivia")
    person(database, "riley")
    (task_id,) = new_tasks(database, 1, client(database, owner=owner))
    row = task(database, task_id)
    assert (row.assignee_id, row.owner, row.assigned_reason, row.assigned_at) == (
        owner,
        "olivia",
        "client owner on duty",
        NOW,
    )
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "owner_task.assigned")).one()
        alert = session.scalars(select(OwnerAlert)).one()
    assert (entry.entity_id, entry.detail["to"], entry.detail["reason"]) == (task_id, "olivia", "client owner on duty")
    assert (alert.user_id, alert.kind, alert.owner_task_id, alert.read_at) == (owner, AlertKind.ASSIGNED, task_id, None)


def test_an_owner_off_duty_is_passed_over_for_the_least_busy_reviewer(database: Database) -> None:
    owner = person(database, "olivia", on_duty=False)
    busy, free = person(database, "avery"), person(database, "blake")
    acme = client(database, owner=owner)
    new_tasks(database, 1, acme)  # avery: first by login among equals
    (second,) = new_tasks(database, 1, acme)
    row = task(database, second)
    assert row.assignee_id == free != busy
    assert row.assigned_reason == "fewest open tasks among 2 reviewers on duty"


def test_a_thousand_tasks_spread_evenly_over_the_reviewers_on_duty(database: Database) -> None:
    reviewers = [person(database, login) for login in ("ana", "ben", "cleo")]
    person(database, "sam", Role.SUPERVISOR)  # on duty too, but reviewers come first
    acme = client(database)
    for batch in range(10):  # ten batches of 100, a moment apart, as ten polls would
        new_tasks(database, 100, acme, now=NOW + batch * timedelta(seconds=30))
    with database.read() as session:
        counts = Counter(session.scalars(select(OwnerTask.assignee_id)))
    assert set(counts) == set(reviewers), "every task went to a reviewer"
    assert sum(counts.values()) == 1000
    assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_equal_counts_go_to_whoever_was_assigned_least_recently(database: Database) -> None:
    ana, ben = person(database, "ana"), person(database, "ben")
    acme = client(database)
    (first,) = new_tasks(database, 1, acme)
    (second,) = new_tasks(database, 1, acme, now=NOW + timedelta(minutes=1))
    assert [task(database, t).assignee_id for t in (first, second)] == [ana, ben]
    with database.write() as session:  # ben's task is reassigned to ana, then ana's first to ben
        session.get(OwnerTask, second).assignee_id = ana
        session.get(OwnerTask, first).assignee_id = ben
        session.get(OwnerTask, first).assigned_at = NOW + timedelta(minutes=2)
    # One open task each; ana was last given one at NOW + 1 min, ben at NOW + 2 min.
    (third,) = new_tasks(database, 1, acme, now=NOW + timedelta(minutes=3))
    assert task(database, third).assignee_id == ana


def test_a_gap_in_the_roster_leaves_the_task_unassigned_and_says_so(database: Database) -> None:
    riley = person(database, "riley", on_duty=False)
    with database.write() as session:  # a shift that ended at NOW and one that starts later
        session.add(DutyShift(user_id=riley, starts_at=NOW - 8 * HOUR, ends_at=NOW))
        session.add(DutyShift(user_id=riley, starts_at=NOW + HOUR, ends_at=NOW + 9 * HOUR))
    (task_id,) = new_tasks(database, 1, client(database, owner=riley))
    row = task(database, task_id)
    assert (row.assignee_id, row.owner, row.assigned_reason) == (None, UNASSIGNED, NOBODY)
    with database.read() as session:
        assert session.scalars(select(OwnerAlert)).all() == []
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "owner_task.assigned")).one()
    assert entry.detail == {"to": None, "from_user_id": None, "reason": NOBODY}
    (later,) = new_tasks(database, 1, None, now=NOW + 2 * HOUR)
    assert task(database, later).assignee_id == riley, "back on duty in the next shift"


def test_an_inactive_person_is_not_on_duty_and_the_supervisor_takes_it(database: Database) -> None:
    riley = person(database, "riley")
    supervisor = person(database, "sam", Role.SUPERVISOR)
    with database.write() as session:
        session.get(User, riley).active = False
    (task_id,) = new_tasks(database, 1, client(database))
    row = task(database, task_id)
    assert (row.assignee_id, row.assigned_reason) == (supervisor, "supervisor on duty (no reviewer on duty)")


def _emergency_form(client_id: int) -> WebhookEvent:
    body = {
        "form_type": "contact",
        "submission_id": "sub_assign_1",
        "submitted_at": utcnow().isoformat(),
        "fields": {
            "name": "Maria Lopez",
            "phone": "(312) 555-0142",
            "service": "Plumbing",
            "message": "A pipe burst, water everywhere!",
        },
    }
    return WebhookEvent(
        provider="web_form",
        client_id=client_id,
        body=json.dumps(body).encode(),
        owner="intake",
        source="web_form",
        status=WebhookStatus.NEW,
        recovery="replay",
        received_at=utcnow(),
    )


def test_the_pipeline_assigns_each_new_task_in_the_batch_that_creates_it(
    database: Database, poll_config: PollConfig
) -> None:
    with database.write() as session:
        northside = ensure_demo_catalog(session)["northside-plumbing"]
        riley = session.scalar(select(User.id).where(User.login == "demo.reviewer"))
        now = utcnow()
        session.add(DutyShift(user_id=riley, starts_at=now - HOUR, ends_at=now + HOUR))
        session.add(_emergency_form(northside))
    assert drain(database, poll_config).tasks == 1
    with database.read() as session:
        row = session.scalars(select(OwnerTask)).one()
        alert = session.scalars(select(OwnerAlert)).one()
    assert (row.assignee_id, row.owner, row.assigned_reason) == (
        riley,
        "demo.reviewer",
        "fewest open tasks among 1 reviewer on duty",
    )
    assert alert.user_id == riley and "Call" in alert.message


def test_only_a_supervisor_reassigns_and_a_refusal_is_audited(database: Database) -> None:
    ana, ben = person(database, "ana"), person(database, "ben")
    boss = person(database, "lee", Role.SUPERVISOR, on_duty=False)
    ids = new_tasks(database, 4, client(database))
    reviewer = Actor(ana, "ana", Role.REVIEWER)
    with pytest.raises(ActionRefused, match="supervisor"):
        reassign(database, reviewer, ids, ana)
    with database.read() as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).one()
    assert refused.action == "owner_task.reassign" and refused.actor == "ana"
    assert [task(database, t).assignee_id for t in ids] == [ana, ben, ana, ben], "nothing changed"

    supervisor = Actor(boss, "lee", Role.SUPERVISOR)
    assert reassign(database, supervisor, ids, ben, note="covering Friday") == 2
    for t in ids:
        row = task(database, t)
        assert (row.assignee_id, row.owner) == (ben, "ben")
    assert task(database, ids[0]).assigned_reason == "reassigned by lee: covering Friday"
    with database.read() as session:
        moved = session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "owner_task.reassigned")).all()
        alerts = session.scalars(select(OwnerAlert.owner_task_id).where(OwnerAlert.user_id == ben)).all()
    assert sorted(moved) == [ids[0], ids[2]]
    assert sorted(alerts) == sorted(ids), "ben was told of his two tasks and of the two given to him"
    with pytest.raises(ActionRefused, match="active"):
        reassign(database, supervisor, ids, 10**6)
    assert login_of(database, task(database, ids[0]).assignee_id) == "ben"


def test_a_client_owner_must_be_a_user(database: Database) -> None:
    acme = client(database)
    with pytest.raises(IntegrityError), database.write() as session:
        session.add(ClientOwner(client_id=acme, owner_id=10**6))
