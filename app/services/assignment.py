"""Owner tasks reach a person: a new task is assigned by the roster (``app.duty``, in the
transaction that creates it), and a supervisor can hand one or many to someone else.

Reassigning is for supervisors: anyone else is refused, and the refusal is audited. Each
task's new person, reason ("reassigned by lee: covering Friday"), audit entry and alert are
written in one transaction with the tasks locked, so two supervisors reassigning the same
task at once apply one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.duty import give
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.refusals import SUPERVISING, require_role
from db.engine import Database
from db.models import OwnerTask, User
from db.types import utcnow
from db.vocab import TaskStatus


def reassign(
    database: Database, actor: Actor, task_ids: Sequence[int], user_id: int, note: str = "", source: str = "desk"
) -> int:
    """Give the open tasks ``task_ids`` to ``user_id``; returns how many changed hands."""
    require_role(database, actor, SUPERVISING, "owner_task.reassign", source)
    with database.write() as session:
        person = session.get(User, user_id)
        if person is None or not person.active:
            raise ActionRefused("That person cannot take tasks: they are not an active user of the desk.")
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
