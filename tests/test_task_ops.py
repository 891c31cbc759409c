"""What a person does with an owner task: complete it (the assignee or a supervisor, once),
snooze it within the client's rule, log call backs, reassign it; the inbox's views, order and
counts; the task's history in sentences, and the task in its lead's timeline. On SQLite,
PostgreSQL and MariaDB."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.desk import items
from app.desk.tasks import (
    CALL_RESULTS,
    OUTCOMES,
    TASK_VIEWS,
    assignable_users,
    call_back,
    complete,
    open_tasks,
    reassign,
    snooze,
    task_counts,
    task_history,
)
from app.duty import assign_new
from app.identity import Actor
from app.services.errors import ActionRefused
from db.engine import Database
from db.models import AuditEntry, ClientSlaPolicy, Event, Lead, OwnerTask, User
from db.types import utcnow
from db.vocab import EventType, Role, TaskStatus
from tests.roster import HOUR, NOW, client, person, task
from ui.detail.sentences import sentence

_serial = itertools.count()


def actor(db: Database, login: str, role: Role = Role.REVIEWER) -> Actor:
    return Actor(person(db, login, role), login, role)


def a_task(
    db: Database,
    client_id: int,
    *,
    name: str = "Maria Lopez",
    phone: str = "+13125550142",
    due_in: timedelta = HOUR,
    priority: int = 2,
    provider: str = "twilio",
) -> int:
    """A missed call's lead and its owner task, assigned by the roster as the pipeline does."""
    n = next(_serial)
    with db.write() as session:
        lead = Lead(client_id=client_id, name=name, phone=phone, source=provider, status="new")
        session.add(lead)
        session.flush()
        event = Event(
            type=EventType.CALL_MISSED,
            idempotency_key=f"task-ops-{n}",
            client_id=client_id,
            lead_id=lead.id,
            provider=provider,
            occurred_at=utcnow() - HOUR,  # before anything the test does
        )
        session.add(event)
        session.flush()
        row = OwnerTask(
            client_id=client_id,
            lead_id=lead.id,
            event_id=event.id,
            title=f"Call back {name or 'the caller'}",
            reason="missed call from a new caller",
            priority=priority,
            due_at=NOW + due_in,
            source="routing",
            status=TaskStatus.OPEN,
        )
        session.add(row)
        session.flush()
        assign_new(session, [row], actor="pipeline", source="test", now=NOW)
        return row.id


def first_response(db: Database, task_id: int):
    with db.read() as session:
        return session.scalar(
            select(Lead.first_response_at).join(OwnerTask, OwnerTask.lead_id == Lead.id).where(OwnerTask.id == task_id)
        )


def audited(db: Database, task_id: int) -> list[tuple[str, str]]:
    with db.read() as session:
        return [
            (action, outcome)
            for action, outcome in session.execute(
                select(AuditEntry.action, AuditEntry.outcome)
                .where(AuditEntry.entity == "owner_task", AuditEntry.entity_id == task_id)
                .order_by(AuditEntry.id)
            )
        ]


def test_the_assignee_completes_a_task_and_reaching_the_lead_is_its_first_response(database: Database) -> None:
    ana = actor(database, "ana")
    task_id = a_task(database, client(database))
    assert task(database, task_id).assignee_id == ana.user_id
    changes = complete(database, ana, task_id, "reached", "  booked a visit for Tuesday  ")
    assert changes.tasks and changes.anything
    (notice,) = changes.notices
    assert (notice.text, notice.lead) == ("Done: Call back Maria Lopez — Maria Lopez", "Maria Lopez")
    row = task(database, task_id)
    assert (row.status, row.owner) == (TaskStatus.DONE, "ana")
    assert row.done_at is not None and abs(row.done_at - utcnow()) < timedelta(minutes=1)
    assert first_response(database, task_id) == row.done_at
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "owner_task.completed")).one()
    assert entry.detail == {"outcome": "reached", "note": "booked a visit for Tuesday", "responded": True}
    assert entry.lead_id == row.lead_id
    assert open_tasks(database, ana, "tasks", NOW) == []


def test_an_outcome_that_did_not_reach_the_lead_records_no_first_response(database: Database) -> None:
    ana = actor(database, "ana")
    task_id = a_task(database, client(database))
    complete(database, ana, task_id, "wrong_number", "")
    assert task(database, task_id).status == TaskStatus.DONE
    assert first_response(database, task_id) is None


def test_a_supervisor_completes_someone_elses_task(database: Database) -> None:
    actor(database, "ana")
    sam = actor(database, "sam", Role.SUPERVISOR)
    task_id = a_task(database, client(database))
    assert task(database, task_id).assignee_id != sam.user_id
    complete(database, sam, task_id, "booked", "")
    row = task(database, task_id)
    assert (row.status, row.owner) == (TaskStatus.DONE, "sam")


def test_another_reviewer_is_refused_and_the_refusal_is_audited(database: Database) -> None:
    actor(database, "ana")
    ben = Actor(person(database, "ben", on_duty=False), "ben", Role.REVIEWER)
    task_id = a_task(database, client(database))
    for act in (
        lambda: complete(database, ben, task_id, "reached", ""),
        lambda: snooze(database, ben, task_id, utcnow() + timedelta(minutes=5), ""),
        lambda: call_back(database, ben, task_id, "no_answer", ""),
    ):
        with pytest.raises(ActionRefused, match=r"Only its assignee \(ana\) or a supervisor can"):
            act()
    row = task(database, task_id)
    assert (row.status, row.attempts, row.due_at) == (TaskStatus.OPEN, 0, NOW + HOUR)
    assert first_response(database, task_id) is None
    assert audited(database, task_id)[1:] == [
        ("owner_task.complete", "refused"),
        ("owner_task.snooze", "refused"),
        ("owner_task.call_back", "refused"),
    ]


def test_completing_twice_is_refused_saying_who_did_it_and_when(database: Database) -> None:
    ana = actor(database, "ana")
    sam = actor(database, "sam", Role.SUPERVISOR)
    task_id = a_task(database, client(database))
    complete(database, ana, task_id, "no_answer", "")
    done_at = task(database, task_id).done_at
    with pytest.raises(ActionRefused) as refused:
        complete(database, sam, task_id, "reached", "")
    assert str(refused.value) == f"This task is already done: ana completed it at {done_at:%Y-%m-%d %H:%M} UTC."
    with pytest.raises(ActionRefused, match="already done"):
        call_back(database, ana, task_id, "reached", "")
    assert first_response(database, task_id) is None


def test_an_outcome_off_the_list_or_other_without_a_note_is_refused(database: Database) -> None:
    ana = actor(database, "ana")
    task_id = a_task(database, client(database))
    with pytest.raises(ActionRefused, match="Choose an outcome: Reached, Left a voicemail, No answer, Booked"):
        complete(database, ana, task_id, "spoke", "")
    with pytest.raises(ActionRefused, match="a note is required with Other"):
        complete(database, ana, task_id, "other", "  ")
    with pytest.raises(ActionRefused, match="Choose how the call went"):
        call_back(database, ana, task_id, "booked", "")  # booking is how a task ends
    assert task(database, task_id).status == TaskStatus.OPEN


def test_a_snooze_within_the_clients_response_window_moves_the_due_time_only(database: Database) -> None:
    ana = actor(database, "ana")
    acme = client(database)
    with database.write() as session:
        session.add(ClientSlaPolicy(client_id=acme, source="twilio", response_minutes=30))
    task_id = a_task(database, acme)
    escalated = NOW + timedelta(minutes=5)
    with database.write() as session:
        session.get(OwnerTask, task_id).escalated_at = escalated
    until = utcnow() + timedelta(minutes=20)
    changes = snooze(database, ana, task_id, until, "call after their meeting")
    assert changes.tasks
    assert changes.notices[0].text == "Snoozed for 20 minutes: Call back Maria Lopez — Maria Lopez"
    row = task(database, task_id)
    assert (row.due_at, row.escalated_at, row.status, row.assignee_id) == (
        until,
        escalated,
        TaskStatus.OPEN,
        ana.user_id,
    )
    with database.read() as session:
        detail = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "owner_task.snoozed")).one()
    assert detail == {
        "note": "call after their meeting",
        "until": until.isoformat(),
        "due_before": (NOW + HOUR).isoformat(),
    }


def test_a_snooze_beyond_the_clients_window_is_refused_with_the_limit_in_words(database: Database) -> None:
    ana = actor(database, "ana")
    acme = client(database)
    with database.write() as session:
        session.add(ClientSlaPolicy(client_id=acme, source="twilio", response_minutes=30))
    task_id = a_task(database, acme)
    with pytest.raises(ActionRefused) as refused:
        snooze(database, ana, task_id, utcnow() + timedelta(minutes=45), "")
    assert str(refused.value).startswith("Snooze it for at most 30 minutes from now (until ")
    assert str(refused.value).endswith(" UTC): the client's response window for Twilio leads.")
    with pytest.raises(ActionRefused, match="a time in the future"):
        snooze(database, ana, task_id, utcnow() - timedelta(minutes=1), "")
    assert task(database, task_id).due_at == NOW + HOUR
    assert audited(database, task_id)[-2:] == [("owner_task.snooze", "refused")] * 2


def test_without_a_client_rule_a_snooze_is_at_most_a_day(database: Database) -> None:
    ana = actor(database, "ana")
    task_id = a_task(database, client(database), provider="web_form")
    with pytest.raises(ActionRefused, match=r"at most 24 hours from now .*: the longest a task may wait\."):
        snooze(database, ana, task_id, utcnow() + timedelta(hours=25), "")
    until = utcnow() + timedelta(hours=23)
    snooze(database, ana, task_id, until, "")
    assert task(database, task_id).due_at == until


def test_call_backs_count_attempts_and_the_first_reach_is_the_first_response_once(database: Database) -> None:
    ana = actor(database, "ana")
    task_id = a_task(database, client(database))
    changes = call_back(database, ana, task_id, "no_answer", "rang twice")
    assert changes.notices[0].text == "Call back logged (no answer): Call back Maria Lopez — Maria Lopez"
    assert first_response(database, task_id) is None
    call_back(database, ana, task_id, "reached", "")
    reached = first_response(database, task_id)
    assert reached is not None
    call_back(database, ana, task_id, "not_interested", "")
    row = task(database, task_id)
    assert (row.attempts, row.status) == (3, TaskStatus.OPEN)
    assert first_response(database, task_id) == reached
    with database.read() as session:
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "owner_task.called_back").order_by(AuditEntry.id)
        ).all()
    assert [(d["result"], d["attempt"], d["responded"]) for d in details] == [
        ("no_answer", 1, False),
        ("reached", 2, True),
        ("not_interested", 3, False),
    ]
    assert details[0]["note"] == "rang twice"


def test_the_views_list_open_tasks_soonest_due_then_by_priority(database: Database) -> None:
    ana, ben = actor(database, "ana"), actor(database, "ben")
    acme = client(database)
    # ana and ben take turns (fewest open tasks): ana gets late, tied_low; ben gets soon, tied_high.
    late = a_task(database, acme, name="Late", due_in=3 * HOUR)
    soon = a_task(database, acme, name="", phone="+13125559876", due_in=-HOUR)
    tied_low = a_task(database, acme, name="Tied low", due_in=HOUR, priority=3)
    tied_high = a_task(database, acme, name="Tied high", due_in=HOUR, priority=1)
    done = a_task(database, acme, name="Done", due_in=-2 * HOUR)
    complete(database, ana if task(database, done).assignee_id == ana.user_id else ben, done, "reached", "")
    assert [task(database, t).assignee_id for t in (late, soon, tied_low, tied_high)] == [
        ana.user_id,
        ben.user_id,
        ana.user_id,
        ben.user_id,
    ]
    rows = open_tasks(database, ana, "tasks", NOW)
    assert [r.id for r in rows] == [soon, tied_high, tied_low, late]
    first = rows[0]
    assert (first.lead_label, first.client_name, first.assignee_login, first.assignee_name) == (
        "caller …9876",
        "Acme",
        "ben",
        "Ben",
    )
    assert (first.title, first.priority, first.attempts, first.status) == ("Call back the caller", 2, 0, "open")
    assert first.assigned_reason == "fewest open tasks among 2 reviewers on duty"
    assert [r.id for r in open_tasks(database, ana, "my_tasks", NOW)] == [tied_low, late]
    assert [r.id for r in open_tasks(database, ben, "my_tasks", NOW)] == [soon, tied_high]
    assert [r.id for r in open_tasks(database, ana, "overdue_tasks", NOW)] == [soon]
    assert [r.id for r in open_tasks(database, ana, "overdue_tasks", NOW + 2 * HOUR)] == [soon, tied_high, tied_low]
    assert [r.id for r in open_tasks(database, ana, "tasks", NOW, limit=2)] == [soon, tied_high]
    assert task_counts(database, ana, NOW) == {"tasks": 4, "my_tasks": 2, "overdue_tasks": 1}
    assert set(task_counts(database, ben, NOW + 4 * HOUR)) == set(TASK_VIEWS)
    assert task_counts(database, ben, NOW + 4 * HOUR) == {"tasks": 4, "my_tasks": 2, "overdue_tasks": 4}
    with pytest.raises(ValueError, match="no task view"):
        open_tasks(database, ana, "everything", NOW)


def test_a_supervisor_reassigns_by_login_and_others_are_refused(database: Database) -> None:
    ana = actor(database, "ana")
    sam = actor(database, "sam", Role.SUPERVISOR)
    with database.write() as session:
        session.add(User(login="gone", display_name="Gone", role=Role.REVIEWER, active=False))
    task_id = a_task(database, client(database))
    assert ("sam", "Sam") in assignable_users(database)
    assert "gone" not in dict(assignable_users(database))
    with pytest.raises(ActionRefused, match="Only supervisors or admins"):
        reassign(database, ana, [task_id], "sam")
    with pytest.raises(ActionRefused, match="not an active user"):
        reassign(database, sam, [task_id], "gone")
    changes = reassign(database, sam, [task_id], "sam")
    assert (changes.tasks, changes.notices[0].text) == (True, "Reassigned 1 task to Sam.")
    assert task(database, task_id).assignee_id == sam.user_id
    assert reassign(database, sam, [task_id], "sam").notices[0].text == "Sam has it already."


def test_the_history_says_what_happened_newest_first(database: Database) -> None:
    ana = actor(database, "ana")
    sam = actor(database, "sam", Role.SUPERVISOR)
    task_id = a_task(database, client(database))
    call_back(database, ana, task_id, "no_answer", "rang twice")
    snooze(database, ana, task_id, utcnow() + timedelta(hours=2), "")
    reassign(database, sam, [task_id], "sam")
    with pytest.raises(ActionRefused):
        complete(database, ana, task_id, "reached", "")  # no longer ana's
    complete(database, sam, task_id, "booked", "Tuesday 9am")
    history = task_history(database, task_id)
    assert [e.what for e in history] == [
        "Done: booked — “Tuesday 9am”",
        "Completing was refused: Only its assignee (sam) or a supervisor can complete this task.",
        "Assigned to Sam (reassigned by sam)",
        "Snoozed for 2 hours",
        "Call back: no answer — “rang twice”",
        "Assigned to Ana (fewest open tasks among 1 reviewer on duty)",
        "Task created: Call back Maria Lopez (missed call from a new caller)",
    ]
    assert [e.who for e in history] == ["sam", "ana", "sam", "ana", "ana", "pipeline", "Routing"]
    assert all(a.at >= b.at for a, b in itertools.pairwise(history))


def test_escalation_reads_as_a_sentence(database: Database) -> None:
    from app.services.sla import escalate_breaches

    actor(database, "ana")
    kim = actor(database, "kim", Role.SUPERVISOR)
    task_id = a_task(database, client(database, contact=kim.user_id), due_in=-HOUR)
    assert escalate_breaches(database, NOW) == 1
    assert task_history(database, task_id)[0].what == "Escalated to Kim (past due: the client's escalation contact)"


def test_a_task_and_its_history_are_in_the_lead_timeline(database: Database) -> None:
    ana = actor(database, "ana")
    task_id = a_task(database, client(database))
    call_back(database, ana, task_id, "no_answer", "rang twice")
    complete(database, ana, task_id, "left_voicemail", "")
    lead_id = task(database, task_id).lead_id
    said = [sentence(e) for e in items.timeline(database, lead_id)]
    assert said == [
        "Task “Call back Maria Lopez”: Done: left a voicemail",
        "Task “Call back Maria Lopez”: Call back: no answer — “rang twice”",
        "Task “Call back Maria Lopez”: Assigned to Ana (fewest open tasks among 1 reviewer on duty)",
        "Task created: Call back Maria Lopez (missed call from a new caller) — now done",
        "Missed call from Twilio",
    ]


def test_every_outcome_has_words() -> None:
    from app import words

    assert set(words.OUTCOMES) == set(OUTCOMES) > set(CALL_RESULTS)
    assert all(words.outcome(code) != code and "_" not in words.outcome(code) for code in OUTCOMES)
    assert words.status("done") == "Done"
