"""The open tasks of one inbox view as a Qt table model, with a due-time countdown coloured
against the task's own window (its SLA).

A view holds at most a few hundred tasks (``app.desk.tasks.open_tasks`` reads the most urgent
first), so the model keeps them all; only the countdown depends on the clock, moved on by the
controller with ``tick``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.desk.tasks import URGENT, TaskRow
from ui.dates import short_datetime
from ui.table_model import Index, ReadOnlyTableModel

COLUMNS = ("Due", "Priority", "Lead", "Client", "Task", "Assigned to", "Calls")
# Columns as wide as the text they usually hold (in the font in use); the others share the rest.
TYPICAL_TEXT = {"Due": "23 h 59 overdue", "Priority": "Urgent", "Assigned to": "Riley Reviewer", "Calls": "Calls"}
_OVERDUE = QBrush(QColor("#d32f2f"))  # the queue's tones: readable on a light and a dark base
_DUE_SOON = QBrush(QColor("#e67700"))
# Amber once less than this share of the task's window is left (a 15-minute call: 5 minutes).
SOON_SHARE = 1 / 3
PRIORITIES = {1: "Urgent", 2: "High", 3: "Normal"}


def countdown(due: datetime, now: datetime) -> str:
    """``12 min left``, ``1 h 05 left``, ``3 min overdue``, ``2 d overdue``."""
    seconds = (due - now).total_seconds()
    minutes = int(abs(seconds) // 60)
    if minutes < 60:
        span = f"{max(minutes, 1) if seconds < 0 else minutes} min"
    elif minutes < 48 * 60:
        span = f"{minutes // 60} h {minutes % 60:02d}"
    else:
        span = f"{minutes // (24 * 60)} d"
    return f"{span} overdue" if seconds < 0 else f"{span} left"


def urgency(task: TaskRow, now: datetime) -> str:
    """``overdue``, ``soon`` (less than a third of its window left) or ``""``."""
    left = task.due_at - now
    if left <= timedelta(0):
        return "overdue"
    window = task.due_at - task.created_at
    return "soon" if left < window * SOON_SHARE else ""


def priority_text(priority: int) -> str:
    return PRIORITIES.get(priority, "Normal" if priority > URGENT else "Urgent")


class TaskTableModel(ReadOnlyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRow] = []
        self._now = datetime.now(UTC)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- what the controller calls -------------------------------------------------------

    def set_rows(self, rows: list[TaskRow], now: datetime) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._now = now
        self.endResetModel()

    def remove(self, task_id: int) -> int | None:
        """Take a task that left the view out at once; returns the row it had."""
        row = self.row_of(task_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        return row

    def tick(self, now: datetime) -> None:
        """The clock moved on: repaint the countdowns."""
        self._now = now
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def row_at(self, row: int) -> TaskRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, task_id: int) -> int | None:
        return next((i for i, task in enumerate(self._rows) if task.id == task_id), None)

    def tasks(self) -> list[TaskRow]:
        return list(self._rows)

    @property
    def now(self) -> datetime:
        return self._now

    # --- what the view asks --------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._rows)

    def _text(self, task: TaskRow, column: int) -> str:
        if column == 0:
            return countdown(task.due_at, self._now)
        return (
            "",
            priority_text(task.priority),
            task.lead_label or "—",
            task.client_name or "—",
            task.title,
            task.assignee_name or "Nobody",
            str(task.attempts) if task.attempts else "",
        )[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        task = self.row_at(index.row())
        if task is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(task, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return f"Due {short_datetime(task.due_at)}" + (" · escalated" if task.escalated_at else "")
            if column == 4 and task.reason:
                return f"{task.title}: {task.reason}"
            if column == 5 and task.assigned_reason:
                return f"{task.assignee_name or 'Nobody'}: {task.assigned_reason}"
            return self._text(task, column)
        if column == 0 and role == Qt.ItemDataRole.ForegroundRole:
            state = urgency(task, self._now)
            return _OVERDUE if state == "overdue" else _DUE_SOON if state == "soon" else None
        if role == Qt.ItemDataRole.FontRole and (
            (column == 0 and urgency(task, self._now) == "overdue") or (column == 1 and task.priority <= URGENT)
        ):
            return self._bold
        return None
