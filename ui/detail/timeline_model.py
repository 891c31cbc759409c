"""A lead's timeline as a table: when, what, who."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.desk.types import TimelineEntry
from ui.table_model import Index, ReadOnlyTableModel


class TimelineModel(ReadOnlyTableModel):
    COLUMNS = ("When", "What", "Who")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[TimelineEntry] = []

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (f"{entry.at.astimezone():%b %d %H:%M}", entry.summary, entry.actor)[index.column()]
        return None
