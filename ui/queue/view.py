"""The queue's widgets: the table, the sidebar of saved views, and the filter bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QTableView,
    QWidget,
)

from app.desk.types import Choice
from ui.queue.filters import SavedViewsModel
from ui.queue.model import SORT_KEYS, QueueTableModel

SEARCH_DELAY_MS = 300


class QueueView(QTableView):
    def __init__(self, model: QueueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Review queue")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Extended: Shift/Ctrl pick several rows for bulk approval; the current row is the
        # item that is open.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        # Fixed row heights: the view never measures a million rows.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in enumerate((52, 60, 130, 88, 72, 125, 185, 72, 72)):
            header.resizeSection(column, width)

    @staticmethod
    def sort_key(column: int) -> str | None:
        return SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})


class Sidebar(QListView):
    def __init__(self, model: SavedViewsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName("Saved views")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMaximumWidth(190)
        self.setCurrentIndex(model.index(0))


class FilterBar(QWidget):
    """Search (debounced) and the client / source / workflow choices."""

    changed = Signal(dict)  # {"search": str, "client_id": int|None, "provider": str|None, ...}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search lead or flag  (Ctrl+F)")
        self.search.setAccessibleName("Search the queue")
        self.search.setClearButtonEnabled(True)
        self.client = self._combo("All clients", "Client")
        self.provider = self._combo("All sources", "Source")
        self.workflow = self._combo("All workflows", "Workflow")
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        self._delay.timeout.connect(self._emit)
        self.search.textChanged.connect(self._delay.start)
        for combo in (self.client, self.provider, self.workflow):
            combo.currentIndexChanged.connect(self._emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for combo in (self.client, self.provider, self.workflow):
            layout.addWidget(combo, 1)

    @staticmethod
    def _combo(everything: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(everything, None)
        return combo

    @staticmethod
    def fill(combo: QComboBox, choices: list[Choice]) -> None:
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for choice in choices:
            combo.addItem(choice.label, choice.value)
        combo.blockSignals(False)

    def values(self) -> dict[str, object]:
        return {
            "search": self.search.text().strip(),
            "client_id": self.client.currentData(),
            "provider": self.provider.currentData(),
            "workflow": self.workflow.currentData(),
        }

    def _emit(self) -> None:
        self.changed.emit(self.values())
