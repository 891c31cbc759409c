"""Owner tasks and a notifier double for the inbox's pytest-qt tests."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject, Qt, Signal
from sqlalchemy import select

from app.identity import Actor
from db.engine import Database
from db.models import Lead, OwnerTask
from db.types import utcnow
from db.vocab import TaskStatus
from ui.desktop import Desk


class RecordingNotifier(QObject):
    """The notifier's surface, keeping what it was asked to say."""

    opened = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self.said: list[tuple[str, str, tuple[str, int]]] = []
        self.count = 0

    def notify(self, title: str, text: str, target: tuple[str, int]) -> None:
        self.said.append((title, text, target))

    def set_count(self, count: int) -> None:
        self.count = count


def give_tasks(database: Database, actor: Actor, specs: list[tuple[str, timedelta, int]]) -> list[int]:
    """Open tasks for ``actor`` about leads of the first client: (lead name, due in, priority)."""
    now = utcnow()
    ids = []
    with database.write() as session:
        lead_ids = list(session.scalars(select(Lead.id).order_by(Lead.id).limit(len(specs))))
        for (name, due_in, priority), lead_id in zip(specs, lead_ids, strict=True):
            lead = session.get(Lead, lead_id)
            lead.name = name
            task = OwnerTask(
                client_id=lead.client_id,
                lead_id=lead_id,
                title=f"Call back {name}",
                reason="missed call from a new caller",
                priority=priority,
                due_at=now + due_in,
                assignee_id=actor.user_id,
                assigned_reason="client owner on duty",
                assigned_at=now,
                source="routing",
                status=TaskStatus.OPEN,
                owner="routing",
            )
            task.created_at = now - timedelta(minutes=1)
            session.add(task)
            session.flush()
            ids.append(task.id)
    return ids


def open_my_tasks(qtbot, desk: Desk) -> None:
    qtbot.keyClick(desk.window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.tasks.inbox.current is not None and not desk.runner.busy)
