"""The saved views in the sidebar, each with its count, and the list model that shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.desk.types import QueueCounts, QueueFilter, QueueSort
from db.vocab import ItemKind, ItemStatus

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SavedView:
    name: str
    build: Callable[[int, datetime], QueueFilter]  # (user id, now) -> filter
    count: str | None  # the QueueCounts field holding its count
    sort: QueueSort = QueueSort()


SAVED_VIEWS: tuple[SavedView, ...] = (
    SavedView("Open", lambda user, now: QueueFilter(), "open"),
    SavedView("Mine", lambda user, now: QueueFilter(holder_id=user), "mine"),
    SavedView("Overdue", lambda user, now: QueueFilter(overdue_at=now), "overdue", QueueSort("due")),
    SavedView("High risk", lambda user, now: QueueFilter(severity=3), "high_risk"),
    SavedView("Escalated", lambda user, now: QueueFilter(scope="all", status=ItemStatus.ESCALATED), "escalated"),
    SavedView("Messages", lambda user, now: QueueFilter(kind=ItemKind.MESSAGE), "messages"),
    SavedView("Portal notes", lambda user, now: QueueFilter(kind=ItemKind.PORTAL_NOTE), "portal_notes"),
    SavedView("Report notes", lambda user, now: QueueFilter(kind=ItemKind.REPORT_NOTE), "report_notes"),
    SavedView("CRM handoffs", lambda user, now: QueueFilter(kind=ItemKind.CRM_HANDOFF), "crm_handoffs"),
    SavedView("Decided", lambda user, now: QueueFilter(scope="decided"), None, QueueSort("decided", descending=True)),
    SavedView("Everything", lambda user, now: QueueFilter(scope="all"), None, QueueSort("age", descending=True)),
)


class SavedViewsModel(QAbstractListModel):
    """The sidebar: each saved view with its live count."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._counts: QueueCounts | None = None

    def set_counts(self, counts: QueueCounts) -> None:
        if counts == self._counts:
            return  # a repaint beside the queue's costs it its frame (bench/ai_drafts.py)
        self._counts = counts
        self.dataChanged.emit(self.index(0), self.index(len(SAVED_VIEWS) - 1))

    def count_of(self, row: int) -> int | None:
        field = SAVED_VIEWS[row].count
        return getattr(self._counts, field) if self._counts and field else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(SAVED_VIEWS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(SAVED_VIEWS):
            return None
        view = SAVED_VIEWS[index.row()]
        count = self.count_of(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{view.name}  ({count:,})" if count is not None else view.name
        if role == Qt.ItemDataRole.ToolTipRole:
            shortcut = f"Ctrl+{index.row() + 1}" if index.row() < 9 else ""
            return f"{view.name} {shortcut}".strip()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return view.name if count is None else f"{view.name}, {count} items"
        return None
