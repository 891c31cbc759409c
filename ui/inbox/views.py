"""The inbox's views in the sidebar, under the queue's: "Tasks", "My tasks", "Overdue tasks",
each with its live count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from app.desk.tasks import TASK_VIEWS
from ui.queue.view import Sidebar
from ui.table_model import Index

VIEW_NAMES = {"tasks": "Tasks", "my_tasks": "My tasks", "overdue_tasks": "Overdue tasks"}
# My tasks first in the keys: it is what a person works; Ctrl+1..9 are the queue's views.
VIEW_SHORTCUTS = {"my_tasks": "Ctrl+T", "tasks": "Ctrl+Shift+T", "overdue_tasks": "Ctrl+0"}


class TaskViewsModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._counts: dict[str, int] = {}

    def set_counts(self, counts: dict[str, int]) -> None:
        if counts == self._counts:
            return  # a repaint beside the queue's costs it its frame (bench/ai_drafts.py)
        self._counts = dict(counts)
        self.dataChanged.emit(self.index(0), self.index(len(TASK_VIEWS) - 1))

    def count_of(self, view: str) -> int | None:
        return self._counts.get(view)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(TASK_VIEWS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(TASK_VIEWS):
            return None
        view = TASK_VIEWS[index.row()]
        name, count = VIEW_NAMES[view], self._counts.get(view)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  ({count:,})" if count is not None else name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name} {VIEW_SHORTCUTS[view]}: open owner tasks, soonest due first"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return name if count is None else f"{name}, {count} tasks"
        return None


class TaskViewsList(Sidebar):
    """As tall as its three views: the queue's list above keeps the room."""

    def __init__(self, model: TaskViewsModel) -> None:
        super().__init__(model, "Task views", select_first=False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = self.sizeHintForRow(0) * len(TASK_VIEWS)
        self.setFixedHeight(rows + 2 * self.frameWidth() + 4)

    def select(self, view: str) -> None:
        self.setCurrentIndex(self.model().index(TASK_VIEWS.index(view)))
