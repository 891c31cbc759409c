"""What a person does with an owner task: complete it with an outcome, snooze it, log a call
back. (Handing it to someone else is ``app.services.assignment.reassign``.)

Working a task is for its assignee or a supervisor. Each action is one transaction with the
task locked: the change, the lead's first response when the lead was reached, and the audit
entry commit together. A refused action changes nothing; the refusal is audited in its own
transaction (on the task, not on the lead's timeline) and raised as ``ActionRefused``.

A snooze moves ``due_at`` and keeps the task open (no ``snoozed_until``: see ``TaskStatus``).
It is bounded by the client's own rule, so a snooze cannot hide a lead past the time the
client allows for answering one: at most the client's response window for the lead's source,
counted from now, and never more than ``MAX_SNOOZE``. ``escalated_at`` stays: a task escalated
once is not escalated again when its new due time passes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, words
from app.identity import Actor
from app.pipeline.planner import MESSAGE_WORKFLOW
from app.response_window import load_rules
from app.services.lead_stage import record_first_response
from app.services.refusals import refused
from app.states import TASKS
from db.engine import Database
from db.models import Event, Lead, OwnerTask, User
from db.types import utcnow
from db.vocab import TaskStatus

OUTCOMES: tuple[str, ...] = (
    "reached",
    "left_voicemail",
    "no_answer",
    "booked",
    "not_interested",
    "wrong_number",
    "other",
)
# A call back does not book the job by itself: booking is how a task ends.
CALL_RESULTS: tuple[str, ...] = tuple(o for o in OUTCOMES if o != "booked")
# The outcomes that mean somebody spoke with the lead: its first response.
REACHED = frozenset({"reached", "booked", "not_interested"})
MAX_SNOOZE = timedelta(hours=24)
NOTE_LIMIT = 500


def complete(database: Database, actor: Actor, task_id: int, outcome: str, note: str, source: str = "desk") -> None:
    """Close the task with ``outcome`` (one of ``OUTCOMES``; "other" needs a note)."""

    def change(session: Session, task: OwnerTask, now: datetime) -> str | None:
        problem = _choice_problem(outcome, note, OUTCOMES, "an outcome")
        if problem is not None:
            return problem
        TASKS.move(task, TaskStatus.DONE)
        task.done_at = now
        task.owner = actor.login  # who closed it is answerable for it now
        responded = _reached(session, task, outcome, now)
        _audit(session, actor, task, "owner_task.completed", source, outcome=outcome, note=note, responded=responded)
        return None

    _act(database, actor, task_id, "complete", "complete", source, change)


def snooze(database: Database, actor: Actor, task_id: int, until: datetime, note: str, source: str = "desk") -> None:
    """Move the task's due time to ``until``, within the client's rule (see the module)."""

    def change(session: Session, task: OwnerTask, now: datetime) -> str | None:
        problem = _snooze_problem(session, task, until, now)
        if problem is not None:
            return problem
        before, task.due_at = task.due_at, until
        _audit(
            session,
            actor,
            task,
            "owner_task.snoozed",
            source,
            note=note,
            until=until.isoformat(),
            due_before=before.isoformat(),
        )
        return None

    _act(database, actor, task_id, "snooze", "snooze", source, change)


def call_back(database: Database, actor: Actor, task_id: int, result: str, note: str, source: str = "desk") -> None:
    """Log one call back (``result`` one of ``CALL_RESULTS``); the task stays open."""

    def change(session: Session, task: OwnerTask, now: datetime) -> str | None:
        problem = _choice_problem(result, note, CALL_RESULTS, "how the call went")
        if problem is not None:
            return problem
        task.attempts += 1
        responded = _reached(session, task, result, now)
        _audit(
            session,
            actor,
            task,
            "owner_task.called_back",
            source,
            result=result,
            note=note,
            attempt=task.attempts,
            responded=responded,
        )
        return None

    _act(database, actor, task_id, "call_back", "log a call back on", source, change)


# A task's change: checks first, then changes the task and audits it; returns why it refused.
Change = Callable[[Session, OwnerTask, datetime], str | None]


def _act(database: Database, actor: Actor, task_id: int, action: str, doing: str, source: str, change: Change) -> None:
    """Lock the task, check who may work it, then ``change`` it; a refusal is audited and raised."""
    with database.write() as session:
        task, problem = _workable(session, actor, task_id, doing)
        if task is not None and problem is None:
            problem = change(session, task, utcnow())
        if problem is None:
            return
    raise refused(database, actor, f"owner_task.{action}", problem, source, "owner_task", task_id)


# --- checks -------------------------------------------------------------------------------


def _workable(session: Session, actor: Actor, task_id: int, doing: str) -> tuple[OwnerTask | None, str | None]:
    """The task, locked, and why ``actor`` may not work it (None: they may)."""
    task = session.get(OwnerTask, task_id, with_for_update=True)
    if task is None:
        return None, "This task no longer exists."
    if task.status == TaskStatus.DONE:
        done = f" at {when(task.done_at)}" if task.done_at else ""
        return task, f"This task is already done: {task.owner} completed it{done}."
    if task.assignee_id != actor.user_id and not actor.can_supervise:
        holder = session.scalar(select(User.login).where(User.id == task.assignee_id)) if task.assignee_id else None
        whose = f"its assignee ({holder})" if holder else "its assignee"
        return task, f"Only {whose} or a supervisor can {doing} this task."
    return task, None


def _choice_problem(code: str, note: str, allowed: tuple[str, ...], what: str) -> str | None:
    if code not in allowed:
        return f"Choose {what}: {', '.join(words.outcome(c) for c in allowed)}."
    if code == "other" and not note.strip():
        return "Say in a few words what happened: a note is required with Other."
    return None


def snooze_limit(session: Session, task: OwnerTask, now: datetime) -> tuple[timedelta, str]:
    """How long from ``now`` the task may be snoozed, and why, in words."""
    event = session.get(Event, task.event_id) if task.event_id else None
    lead = session.get(Lead, task.lead_id) if task.lead_id else None
    provider = event.provider if event else lead.source if lead else task.source
    workflow = MESSAGE_WORKFLOW.get(event.type) if event else None  # type: ignore[call-overload]
    window = load_rules(session, [task.client_id]).window(task.client_id, provider, workflow, MAX_SNOOZE)
    if window < MAX_SNOOZE:
        return window, f"the client's response window for {words.source(provider)} leads"
    return MAX_SNOOZE, "the longest a task may wait"


def snooze_bound(database: Database, task_id: int, now: datetime) -> tuple[timedelta, str]:
    """``snooze_limit`` of the task ``task_id`` (the longest there is when it is gone)."""
    with database.read() as session:
        task = session.get(OwnerTask, task_id)
        return snooze_limit(session, task, now) if task is not None else (MAX_SNOOZE, "the longest a task may wait")


def _snooze_problem(session: Session, task: OwnerTask, until: datetime, now: datetime) -> str | None:
    if until <= now:
        return "Choose a time in the future to snooze it to."
    limit, why = snooze_limit(session, task, now)
    if until > now + limit:
        return f"Snooze it for at most {duration(limit)} from now (until {when(now + limit)}): {why}."
    return None


def when(moment: datetime) -> str:
    """A moment in a refusal: the desk's times are UTC until the window words them."""
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def duration(span: timedelta) -> str:
    """``1 hour 30 minutes``, ``24 hours``, ``20 minutes``."""
    minutes = round(span.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((hours, "hour"), (minutes, "minute")) if n]
    return " ".join(parts) or "less than a minute"


# --- writing ------------------------------------------------------------------------------


def _reached(session: Session, task: OwnerTask, outcome: str, now: datetime) -> bool:
    """Record the lead's first response when ``outcome`` says someone spoke with it."""
    return task.lead_id is not None and outcome in REACHED and record_first_response(session, task.lead_id, now)


def _audit(session: Session, actor: Actor, task: OwnerTask, action: str, source: str, **detail: object) -> None:
    if isinstance(detail.get("note"), str):
        detail["note"] = str(detail["note"]).strip()[:NOTE_LIMIT]
    audit.record(
        session,
        actor=actor.login,
        source=source,
        action=action,
        entity="owner_task",
        entity_id=task.id,
        lead_id=task.lead_id,
        client_id=task.client_id,
        recovery="a supervisor can reassign it" if task.status == TaskStatus.OPEN else "",
        detail=detail,
    )
