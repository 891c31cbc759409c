"""The plumbing every read-only table model of the desk shares."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ReadOnlyTableModel(QAbstractTableModel):
    """A flat, selectable, non-editable table; subclasses set ``COLUMNS`` and ``_row_count``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and (0 <= section < len(self.COLUMNS))
        ):
            return self.COLUMNS[section]
        return None

    # No ``flags``, on purpose: Qt's own (enabled, selectable) is what a read-only table
    # needs, and a cell painted without a call into Python never waits for the interpreter
    # lock the worker threads hold.

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        """One call into Python per cell, not Qt's two (its ``index`` asks ``rowCount`` and
        ``columnCount`` each time)."""
        if parent.isValid() or not (0 <= row < self._row_count() and 0 <= column < len(self.COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)
