"""The owner-task inbox as the desk works it: the open tasks of a view, their counts, a task's
history in sentences, and what a person does with one (complete, snooze, call back, reassign),
each returning ``Changes`` with what to tell them. A refusal raises ``ActionRefused``.

The history's sentences are the lead timeline's too (``timeline_sentence``), so a task reads
the same wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app import words
from app.desk.changes import Changes, Notice
from app.identity import Actor
from app.services import assignment
from app.services import tasks as services
from app.services.tasks import CALL_RESULTS, OUTCOMES, duration
from db.engine import Database
from db.queries.queue import items_due_between
from db.queries.tasks import (
    URGENT,
    TaskFilter,
    TaskRow,
    active_users,
    count_open_tasks,
    history_entries,
    open_task_rows,
    task_rows,
    user_id_of,
)
from db.queries.timeline import TASK_ACTION, TimelineEntry
from db.types import utcnow

__all__ = [
    "CALL_RESULTS",
    "OUTCOMES",
    "TASK_VIEWS",
    "URGENT",
    "AlertFacts",
    "TaskEvent",
    "TaskRow",
    "about_a_task",
    "assignable_users",
    "alert_facts",
    "call_back",
    "complete",
    "duration",
    "open_tasks",
    "reassign",
    "snooze",
    "snooze_bound",
    "task_counts",
    "task_history",
    "timeline_sentence",
]

# The sidebar's entries "Tasks", "My tasks", "Overdue tasks".
TASK_VIEWS = ("tasks", "my_tasks", "overdue_tasks")
Facts = Mapping[str, Any]


@dataclass(frozen=True)
class TaskEvent:
    """One line of a task's history: when, who (a login, or the component that did it) and
    what, in a sentence."""

    at: datetime
    who: str
    what: str


def _filter(actor: Actor, view: str, now: datetime) -> TaskFilter:
    if view == "tasks":
        return TaskFilter()
    if view == "my_tasks":
        return TaskFilter(assignee_id=actor.user_id)
    if view == "overdue_tasks":
        return TaskFilter(overdue_at=now)
    raise ValueError(f"no task view called {view!r}: one of {', '.join(TASK_VIEWS)}")


def open_tasks(database: Database, actor: Actor, view: str, now: datetime, limit: int = 500) -> list[TaskRow]:
    """The view's open tasks, most urgent first: soonest due, then priority."""
    with database.read() as session:
        return open_task_rows(session, _filter(actor, view, now), limit)


def task_counts(database: Database, actor: Actor, now: datetime) -> dict[str, int]:
    with database.read() as session:
        return {view: count_open_tasks(session, _filter(actor, view, now)) for view in TASK_VIEWS}


def task_history(database: Database, task_id: int) -> list[TaskEvent]:
    """What happened to the task, newest first, back to its creation."""
    with database.read() as session:
        entries = history_entries(session, task_id)
    # A person by their login; the component that created the task ("routing") in words.
    return [
        TaskEvent(e.at, words.fallback(e.actor) if e.kind == "task" else e.actor, event_sentence(e)) for e in entries
    ]


@dataclass(frozen=True)
class AlertFacts:
    """What a person's desk alerts them to: their urgent open tasks, their open tasks due
    within the warning time (or past it), and the queue's open items whose SLA falls due within
    it ((id, lead label)), soonest first."""

    urgent: tuple[TaskRow, ...]
    due_soon: tuple[TaskRow, ...]
    items_due_soon: tuple[tuple[int, str], ...] = ()


ALERT_LIMIT = 50  # a tray says "and N more" past a handful anyway


def alert_facts(database: Database, actor: Actor, now: datetime, warning: timedelta) -> AlertFacts:
    with database.read() as session:
        mine = TaskFilter(assignee_id=actor.user_id)
        return AlertFacts(
            tuple(open_task_rows(session, replace(mine, urgent=True), ALERT_LIMIT)),
            tuple(open_task_rows(session, replace(mine, overdue_at=now + warning), ALERT_LIMIT)),
            tuple(items_due_between(session, now, now + warning, ALERT_LIMIT)),
        )


def snooze_bound(database: Database, task_id: int, now: datetime) -> tuple[timedelta, str]:
    """How long from ``now`` the task may be snoozed, and why (the client's window, or a day)."""
    return services.snooze_bound(database, task_id, now)


def assignable_users(database: Database) -> list[tuple[str, str]]:
    """(login, display name) of the active users, who can be given a task."""
    with database.read() as session:
        return active_users(session)


# --- the actions --------------------------------------------------------------------------


def _changed(database: Database, task_id: int, said: str) -> Changes:
    """The task's view and counts change; the notice names the task and its lead."""
    with database.read() as session:
        rows = task_rows(session, [task_id])
    title, lead = (rows[0].title, rows[0].lead_label) if rows else ("the task", "")
    return Changes(tasks=True, notices=(Notice(f"{said}: {title}" + (f" — {lead}" if lead else ""), lead=lead),))


def complete(database: Database, actor: Actor, task_id: int, outcome: str, note: str) -> Changes:
    services.complete(database, actor, task_id, outcome, note)
    return _changed(database, task_id, "Done")


def snooze(database: Database, actor: Actor, task_id: int, until: datetime, note: str) -> Changes:
    services.snooze(database, actor, task_id, until, note)
    return _changed(database, task_id, f"Snoozed for {duration(until - utcnow())}")


def call_back(database: Database, actor: Actor, task_id: int, result: str, note: str) -> Changes:
    services.call_back(database, actor, task_id, result, note)
    return _changed(database, task_id, f"Call back logged ({words.outcome(result).lower()})")


def reassign(database: Database, actor: Actor, task_ids: list[int], to_login: str) -> Changes:
    """Give the tasks to ``to_login`` (supervisors only, see ``app.services.assignment``)."""
    with database.read() as session:
        user_id = user_id_of(session, to_login)
        name = dict(active_users(session)).get(to_login, to_login)
    # No user has id 0: an unknown login is refused by ``reassign`` itself, after its role check.
    moved = assignment.reassign(database, actor, task_ids, user_id or 0)
    said = (
        f"Reassigned {moved} task{'s' if moved != 1 else ''} to {name}."
        if moved
        else f"{name} has {'it' if len(task_ids) == 1 else 'them'} already."
    )
    return Changes(tasks=True, notices=(Notice(said),))


# --- sentences ----------------------------------------------------------------------------


def _note(facts: Facts) -> str:
    note = str(facts.get("note") or "").strip()
    return f" — “{note}”" if note else ""


def _assigned(facts: Facts) -> str:
    name = str(facts.get("to_name") or "")
    reason = str(facts.get("reason") or "")
    said = f"Assigned to {name}" if name else "Not assigned"
    return f"{said} ({reason})" if reason else said


def _escalated(facts: Facts) -> str:
    name = str(facts.get("to_name") or "")
    # The stored reason says it twice: "past due: escalated to the supervisor on duty".
    reason = str(facts.get("reason") or "past due").replace("escalated to ", "")
    return (f"Escalated to {name}" if name else "Escalated") + f" ({reason})"


def _snoozed(at: datetime, facts: Facts) -> str:
    until = facts.get("until")
    span = f" for {duration(datetime.fromisoformat(str(until)) - at)}" if until else ""
    return f"Snoozed{span}{_note(facts)}"


SENTENCES: dict[str, Callable[[datetime, Facts], str]] = {
    "owner_task.assigned": lambda _at, f: _assigned(f),
    "owner_task.reassigned": lambda _at, f: _assigned(f),
    "owner_task.escalated": lambda _at, f: _escalated(f),
    "owner_task.completed": lambda _at, f: f"Done: {words.outcome(str(f.get('outcome'))).lower()}{_note(f)}",
    "owner_task.called_back": lambda _at, f: f"Call back: {words.outcome(str(f.get('result'))).lower()}{_note(f)}",
    "owner_task.snoozed": _snoozed,
}
# What a refused attempt was, for its sentence.
ATTEMPTS = {
    "owner_task.complete": "Completing",
    "owner_task.snooze": "Snoozing",
    "owner_task.call_back": "Logging a call back",
}


def event_sentence(entry: TimelineEntry) -> str:
    """One line of a task's history: its creation (kind ``task``) or one of its audit entries."""
    facts = entry.facts
    if entry.kind == "task":
        reason = str(facts.get("reason") or "")
        return f"Task created: {facts.get('task')}" + (f" ({reason})" if reason else "")
    if entry.outcome != "ok":
        attempt = ATTEMPTS.get(entry.what, words.fallback(entry.what.rpartition(".")[2]))
        return f"{attempt} was refused: {facts.get('reason') or entry.outcome}"
    known = SENTENCES.get(entry.what)
    if known is not None:
        return known(entry.at, facts)
    return words.fallback(entry.what.rpartition(".")[2])


def about_a_task(entry: TimelineEntry) -> bool:
    """Whether a lead timeline entry is a task or a line of its history."""
    return entry.kind == "task" or entry.what.startswith(TASK_ACTION)


def timeline_sentence(entry: TimelineEntry) -> str:
    """A task's line in the lead timeline: its history's sentence, naming the task."""
    if entry.kind == "task":
        return event_sentence(entry) + f" — now {words.status(entry.what).lower()}"
    return f"Task “{entry.facts.get('task')}”: {event_sentence(entry)}"
