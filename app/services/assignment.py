"""Owner tasks and review items reach a person: a new one is assigned by the roster
(``app.duty``, ``app.item_assignment``, in the transaction that creates it), and a supervisor
can hand one or many to someone else.

Reassigning is for supervisors: anyone else is refused, and the refusal is audited. Each
task's new person, reason ("reassigned by lee: covering Friday"), audit entry and alert are
written in one transaction with the tasks locked, so two supervisors reassigning the same
task at once apply one after the other. Items the same way (``assign_items``); an item's
assignment is what the queue's "Mine" shows, never a claim, so it may go back to the shared
queue (``user_id`` None) too.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.duty import give
from app.identity import Actor
from app.item_assignment import record_assignment
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, require_role
from db.engine import Database
from db.models import OwnerTask, ReviewItem, User
from db.types import utcnow
from db.vocab import TaskStatus


def reassign(
    database: Database, actor: Actor, task_ids: Sequence[int], user_id: int, note: str = "", source: str = "desk"
) -> int:
    """Give the open tasks ``task_ids`` to ``user_id``; returns how many changed hands."""
    require_role(database, actor, SUPERVISING, "owner_task.reassign", source)
    with database.write() as session:
        person = _active_person(session, user_id)
        tasks = session.scalars(
            select(OwnerTask)
            .where(OwnerTask.id.in_(sorted(set(task_ids))), OwnerTask.status == TaskStatus.OPEN)
            .order_by(OwnerTask.id)
            .with_for_update()
        ).all()
        if not tasks:
            raise ActionRefused("None of those tasks is open any more.")
        reason = f"reassigned by {actor.login}" + (f": {note.strip()}" if note.strip() else "")
        now = utcnow()
        moved = [task for task in tasks if task.assignee_id != person.id]
        for task in moved:
            give(
                session, task, person, reason, actor=actor.login, source=source, now=now, action="owner_task.reassigned"
            )
        return len(moved)


def _active_person(session: Session, user_id: int) -> User:
    person = session.get(User, user_id)
    if person is None or not person.active:
        raise ActionRefused("That person cannot take work: they are not an active user of the desk.")
    return person


def assign_items(
    database: Database,
    actor: Actor,
    item_ids: Sequence[int],
    user_id: int | None,
    note: str = "",
    source: str = "desk",
) -> int:
    """Give the open items ``item_ids`` to ``user_id`` (None: back to the shared queue); returns
    how many changed hands."""
    require_role(database, actor, SUPERVISING, "review_item.assign", source)
    with database.write() as session:
        person = _active_person(session, user_id) if user_id is not None else None
        items = session.scalars(
            select(ReviewItem)
            .where(ReviewItem.id.in_(sorted(set(item_ids))), ReviewItem.is_open == 1)
            .order_by(ReviewItem.id)
            .with_for_update()
        ).all()
        if not items:
            raise ActionRefused("None of those items is in the queue any more.")
        target = person.id if person is not None else None
        reason = f"assigned by {actor.login}" + (f": {note.strip()}" if note.strip() else "")
        moved = [item for item in items if item.assignee_id != target]
        for item in moved:
            record_assignment(
                session,
                item.id,
                item.client_id,
                item.lead_id,
                person,
                reason,
                actor=actor.login,
                source=source,
                previous=item.assignee_id,
            )
            item.assignee_id = target  # not a new version: the text an open pane holds is the same
        return len(moved)
