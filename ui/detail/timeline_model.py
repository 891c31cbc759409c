"""A lead's timeline as a table: when, what (a sentence, see ``ui.detail.sentences``), who.
An owner task's history is shown the same way (``set_rows``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.desk.types import TimelineEntry
from ui.dates import short_datetime
from ui.detail.sentences import sentence, who
from ui.table_model import Index, ReadOnlyTableModel


class TimelineModel(ReadOnlyTableModel):
    COLUMNS = ("When", "What", "Who")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        """Worded once here, not on every paint."""
        self.set_rows([(short_datetime(e.at), sentence(e), who(e)) for e in entries])

    def set_rows(self, rows: list[tuple[str, str, str]]) -> None:
        """Rows already worded: (when, what, who)."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None
