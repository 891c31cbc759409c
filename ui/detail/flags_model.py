"""The risk flags of one draft as a small table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app import words
from app.desk.types import FlagView
from ui.table_model import Index, ReadOnlyTableModel

COLUMNS = ("Severity", "Flag", "Evidence", "Reason", "Source")
REASON_COLUMN = 3  # the one that stretches: reasons are sentences, the rest are words
SEVERITY_COLORS = {1: QColor("#5d7a99"), 2: QColor("#ef6c00"), 3: QColor("#c62828")}


class FlagsModel(ReadOnlyTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._flags: tuple[FlagView, ...] = ()

    def set_flags(self, flags: tuple[FlagView, ...]) -> None:
        self.beginResetModel()
        self._flags = flags
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._flags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._flags)):
            return None
        flag = self._flags[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                words.severity(flag.severity),
                words.flag(flag.code),
                flag.evidence,
                flag.reason,
                words.other(flag.source),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole of a reason or evidence cut short
            return f"{flag.reason}\nEvidence: {flag.evidence or 'none'}"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            color = SEVERITY_COLORS.get(flag.severity)
            return QBrush(color) if color else None
        return None
