"""Building a duty roster and owner tasks for the assignment and SLA tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.duty import assign_new
from db.engine import Database
from db.models import Client, ClientOwner, DutyShift, OwnerTask, User
from db.vocab import Role, TaskStatus

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def person(db: Database, login: str, role: Role = Role.REVIEWER, *, on_duty: bool = True) -> int:
    """A user; ``on_duty``: with a shift around ``NOW``."""
    with db.write() as session:
        user = User(login=login, display_name=login.title(), role=role)
        session.add(user)
        session.flush()
        if on_duty:
            session.add(DutyShift(user_id=user.id, starts_at=NOW - 4 * HOUR, ends_at=NOW + 4 * HOUR))
        return user.id


def client(db: Database, slug: str = "acme", owner: int | None = None, contact: int | None = None) -> int:
    with db.write() as session:
        row = Client(slug=slug, name=slug.title())
        session.add(row)
        session.flush()
        if owner is not None or contact is not None:
            session.add(ClientOwner(client_id=row.id, owner_id=owner, escalation_contact_id=contact))
        return row.id


def new_tasks(
    db: Database, count: int, client_id: int | None, now: datetime = NOW, due_in: timedelta = HOUR
) -> list[int]:
    """``count`` owner tasks created and assigned in one transaction, as the pipeline does."""
    with db.write() as session:
        tasks = [
            OwnerTask(
                client_id=client_id,
                title=f"Call lead {n}",
                reason="test",
                priority=2,
                due_at=now + due_in,
                source="test",
                status=TaskStatus.OPEN,
            )
            for n in range(count)
        ]
        session.add_all(tasks)
        session.flush()
        assign_new(session, tasks, actor="pipeline", source="test", now=now)
        return [t.id for t in tasks]


def task(db: Database, task_id: int) -> OwnerTask:
    with db.read() as session:
        return session.get(OwnerTask, task_id)


def login_of(db: Database, user_id: int | None) -> str | None:
    with db.read() as session:
        return session.scalar(select(User.login).where(User.id == user_id)) if user_id else None
