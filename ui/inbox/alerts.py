"""Alerts from an open desk: a system-tray notification for a new urgent task given to this
person, for one of their tasks about to pass its due time and for queue items about to pass
their SLA, and the count of what needs them on the tray icon. Clicking a notification opens
the task or the item (a ``Target``: ``("task", id)`` or ``("item", id)``).

``TaskAlerts`` decides what to say; a ``Notifier`` says it. The tray is one notifier; tests
use a double with the same surface. Each task is told about once per reason (urgent, due
soon) for the life of the desk: a reminder that repeats every poll is noise people learn to
ignore. People with no desk open get an owner alert message instead (``app.services.sla``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QSystemTrayIcon

from app.desk import tasks as ops
from app.desk.connection import is_connection_error
from app.desk.tasks import AlertFacts, TaskRow
from app.desk.types import Database
from app.identity import Actor
from db.types import utcnow
from ui.inbox.model import countdown
from ui.style import app_icon
from ui.tasks import TaskRunner

WARNING = timedelta(minutes=5)  # "about to breach": this long before its due time
ONE_BY_ONE = 3  # more at once than this are told in one notification


Target = tuple[str, int]  # ("task", id) or ("item", id): what a click on the alert opens


class Notifier(Protocol):
    """Where alerts go. ``opened`` (a QObject signal: kind, id) fires when one is clicked."""

    def notify(self, title: str, text: str, target: Target) -> None: ...

    def set_count(self, count: int) -> None: ...


class TrayNotifier(QObject):
    """The system tray: a notification per alert, the count drawn on the icon."""

    opened = Signal(str, int)  # the clicked alert's target: kind, id

    def __init__(self, icon: QIcon | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon = icon if icon is not None and not icon.isNull() else app_icon()
        self._last: Target | None = None
        self.count = 0
        self.tray = QSystemTrayIcon(self._icon, self)
        self.tray.setToolTip("Review Desk")
        self.tray.messageClicked.connect(self._clicked)
        self.tray.activated.connect(self._activated)
        self.tray.show()

    def notify(self, title: str, text: str, target: Target) -> None:
        self._last = target
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)

    def set_count(self, count: int) -> None:
        self.count = count
        self.tray.setIcon(badged(self._icon, count) if count else self._icon)
        self.tray.setToolTip(
            f"Review Desk — {count} due soon or overdue (your tasks, the queue's items)" if count else "Review Desk"
        )

    def _activated(self, _reason: QSystemTrayIcon.ActivationReason) -> None:
        self._clicked()

    def _clicked(self) -> None:
        if self._last is not None:
            self.opened.emit(*self._last)


def badged(icon: QIcon, count: int, size: int = 64) -> QIcon:
    """``icon`` with ``count`` in a red disc at its top right."""
    pixmap = icon.pixmap(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRect(size // 2 - 2, 0, size // 2 + 2, size // 2 + 2)
    painter.setBrush(QColor("#d32f2f"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(disc)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(size // 3)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


class TaskAlerts(QObject):
    def __init__(self, runner: TaskRunner, database: Database, actor: Actor, notifier: Notifier) -> None:
        super().__init__()
        self.runner = runner
        self.database = database
        self.actor = actor
        self.notifier = notifier
        self._told_urgent: set[int] = set()
        self._told_due: set[int] = set()
        self._told_items: set[int] = set()
        self._checking = False

    def check(self) -> asyncio.Task[None] | None:
        if self._checking:
            return None
        self._checking = True
        return self.runner.spawn(self._check(), "checking the task alerts")

    async def _check(self) -> None:
        now = utcnow()
        try:
            facts: AlertFacts = await self.runner.background(ops.alert_facts, self.database, self.actor, now, WARNING)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return
        finally:
            self._checking = False
        self.notifier.set_count(len({t.id for t in facts.urgent + facts.due_soon}) + len(facts.items_due_soon))
        urgent = [t for t in facts.urgent if t.id not in self._told_urgent]
        due = [t for t in facts.due_soon if t.id not in self._told_due and t.id not in {u.id for u in urgent}]
        self._told_urgent |= {t.id for t in facts.urgent}
        self._told_due |= {t.id for t in facts.due_soon}
        self._tell("New urgent task", "new urgent tasks", urgent, lambda t: t.reason)
        self._tell("Task due soon", "tasks due soon or overdue", due, lambda t: countdown(t.due_at, now))
        items = [(i, label) for i, label in facts.items_due_soon if i not in self._told_items]
        self._told_items |= {i for i, _ in items}
        if items:
            names = ", ".join(label for _, label in items[:ONE_BY_ONE]) + (
                f" and {len(items) - ONE_BY_ONE} more" if len(items) > ONE_BY_ONE else ""
            )
            minutes = int(WARNING.total_seconds() // 60)
            many = f"{len(items)} review items reach their" if len(items) > 1 else "A review item reaches its"
            self.notifier.notify(f"{many} SLA within {minutes} min", names, ("item", items[0][0]))

    def _tell(self, title: str, many: str, tasks: list[TaskRow], say: Callable[[TaskRow], str]) -> None:
        if not tasks:
            return
        if len(tasks) <= ONE_BY_ONE:
            for task in tasks:
                where = f" — {task.client_name}" if task.client_name else ""
                self.notifier.notify(title, f"{task.title}{where}: {say(task)}", ("task", task.id))
            return
        names = ", ".join(t.lead_label or t.title for t in tasks[:ONE_BY_ONE])
        self.notifier.notify(
            f"{len(tasks)} {many}", f"{names} and {len(tasks) - ONE_BY_ONE} more", ("task", tasks[0].id)
        )
