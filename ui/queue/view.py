"""The queue's widgets: the table, the sidebar of saved views, and the filter bar."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QMenu,
    QTableView,
    QWidget,
)

from app.desk.types import Choice
from ui.queue.model import COLUMNS, QueueTableModel
from ui.style import accent

SEARCH_DELAY_MS = 300
# Shown until the reviewer chooses: what a laptop's queue has room for (Source and Held by are
# in the detail pane's header anyway).
DEFAULT_COLUMNS = ("Priority", "Age", "Client", "Kind", "Lead", "Flags", "State")
# Columns that share the room left, by these weights (elided, the whole value in the tooltip);
# the others are as wide as the text they usually hold, in the font in use (so high DPI and
# large fonts fit). On a narrow window every column gives up room alike: never a sideways
# scrollbar unless the reviewer drags a column wider.
STRETCHED = {"Client": 1.0, "Lead": 1.0, "Flags": 1.4}
TYPICAL_TEXT = {
    "Priority": "Priority",
    "Age": "23 h 59",
    "Kind": "CRM handoff",
    "Source": "Marketplace",
    "State": "In review",
    "Held by": "reviewer",
}
# What an empty saved view would show, so an empty table reads as calm, not broken.
EMPTY_TEXTS = {
    "Open": "No open items — new work appears here as it arrives",
    "Mine": "Nothing held by or assigned to you — items you open or are given appear here",
    "Overdue": "Nothing overdue — items past their SLA appear here",
    "High risk": "No high-risk items — drafts with a high flag appear here",
    "Escalated": "Nothing escalated — items handed to a supervisor appear here",
    "Messages": "No messages to review — texts and emails to leads appear here",
    "Portal notes": "No portal notes to review — notes for client portals appear here",
    "Report notes": "No report notes to review — notes for client reports appear here",
    "CRM handoffs": "No CRM handoffs to review — quotes for a client's CRM appear here",
    "Decided": "Nothing decided yet — items you and others decide appear here",
    "Everything": "No items yet — every item the automation sends for review appears here",
}


def paint_empty_text(view: QAbstractItemView, text: str) -> None:
    """A calm, centred sentence over an empty view (call after the view painted itself)."""
    if not text:
        return
    painter = QPainter(view.viewport())
    painter.setPen(view.palette().placeholderText().color())
    area = view.viewport().rect().adjusted(24, 24, -24, -24)
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()


def empty_text_for(view_name: str) -> str:
    return EMPTY_TEXTS.get(view_name, f"Nothing in {view_name} — matching items appear here")


class QueueHeader(QHeaderView):
    """The queue's column header. It shows the columns' names only, so the cells' changes are
    none of its business: Qt's header repaints itself whole on every ``dataChanged`` over
    several cells, which a page of rows landing is (measured: 160 extra header paints of up to
    12 ms each while 1,000 AI drafts landed, in the frames the queue itself repainted)."""

    def dataChanged(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: object = ()) -> None:  # noqa: N802
        return


class QueueView(QTableView):
    columns_changed = Signal(str)  # ``column_state()`` after the reviewer showed or hid a column

    def __init__(self, model: QueueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._empty_text = empty_text_for("Open")
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
        self.setHorizontalHeader(QueueHeader(Qt.Orientation.Horizontal, self))
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(1)  # ``_fit_columns`` decides; a narrow pane still fits
        self.column_actions: list[QAction] = []
        for column, name in enumerate(COLUMNS):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setStatusTip(f"Show the {name} column in the queue")
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown))
            self.column_actions.append(action)
        self.restore_column_state("")
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    # --- columns the reviewer chooses ------------------------------------------------------

    def column_state(self) -> str:
        """The visible columns by name, comma-separated: what ``restore_column_state`` takes."""
        return ",".join(name for column, name in enumerate(COLUMNS) if not self.isColumnHidden(column))

    def restore_column_state(self, text: str) -> None:
        """Show the columns ``text`` names (unknown names ignored); none known: the defaults."""
        wanted = {name.strip() for name in text.split(",")} & set(COLUMNS) or set(DEFAULT_COLUMNS)
        for column, name in enumerate(COLUMNS):
            action = self.column_actions[column]
            action.blockSignals(True)
            action.setChecked(name in wanted)
            action.blockSignals(False)
            self.setColumnHidden(column, name not in wanted)
        self._keep_one_column()

    def _show_column(self, column: int, shown: bool) -> None:
        self.setColumnHidden(column, not shown)
        self._keep_one_column()
        self._fit_columns()
        self.columns_changed.emit(self.column_state())

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:  # also when a scrollbar comes or goes
            self._fit_columns()
        return super().viewportEvent(event)

    def _fit_columns(self) -> None:
        """Give the visible columns the viewport's width: the compact ones their natural width,
        the stretched ones the rest by weight; if even that does not fit, all shrink alike."""
        metrics = self.fontMetrics()
        padding = metrics.horizontalAdvance("M") * 2  # cell margins and the sort arrow
        least = metrics.horizontalAdvance("M") * 6
        shown = [(c, name) for c, name in enumerate(COLUMNS) if not self.isColumnHidden(c)]
        if not shown:
            return
        natural = {c: metrics.horizontalAdvance(TYPICAL_TEXT[n]) + padding for c, n in shown if n not in STRETCHED}
        weights = {c: STRETCHED[n] for c, n in shown if n in STRETCHED}
        room = self.viewport().width()
        rest = room - sum(natural.values())
        if weights and rest >= least * len(weights):
            widths = dict(natural)
            total = sum(weights.values())
            widths.update({c: int(rest * w / total) for c, w in weights.items()})
        else:
            wanted = {c: natural.get(c, least) for c, _ in shown}
            scale = min(1.0, room / max(1, sum(wanted.values())))
            widths = {c: int(w * scale) for c, w in wanted.items()}
        last = shown[-1][0]
        widths[last] += room - sum(widths.values())  # what rounding left, to the last column
        header = self.horizontalHeader()
        for column, width in widths.items():
            header.resizeSection(column, max(width, 1))

    def _keep_one_column(self) -> None:
        """The last visible column cannot be hidden: a queue with no columns shows nothing."""
        visible = [a for c, a in enumerate(self.column_actions) if not self.isColumnHidden(c)]
        for action in self.column_actions:
            action.setEnabled(not (len(visible) == 1 and action is visible[0]))

    def _header_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setAccessibleName("Queue columns")
        menu.addActions(self.column_actions)
        menu.popup(self.horizontalHeader().mapToGlobal(position))

    # --- an empty view says what would be there --------------------------------------------

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.viewport().update()

    def empty_text(self) -> str:
        """What the view paints now: the sentence when loaded and empty, else nothing."""
        model = self.model()
        loaded = isinstance(model, QueueTableModel) and model.generation > 0
        return self._empty_text if loaded and model.rowCount() == 0 else ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        paint_empty_text(self, self.empty_text())
        if self.hasFocus():
            # The keyboard focus, framed here rather than by a style sheet rule: a rule that
            # matches the table sends every cell's painting through the style sheet engine
            # (measured: approve -> next p95 +20 ms on bench/review_queue.py).
            painter = QPainter(self.viewport())
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(self.viewport().rect().adjusted(1, 1, -1, -1))
            painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        self.viewport().update()

    def sort_key(self, column: int) -> str | None:
        model = self.model()
        return model.sort_key(column) if isinstance(model, QueueTableModel) else None

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})


class Sidebar(QListView):
    """A list of views with their counts: the queue's saved views, or the task inbox's."""

    def __init__(
        self,
        model: QAbstractListModel,
        name: str = "Saved views",
        select_first: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        accent(self)
        self.setModel(model)
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the count stays readable
        # Room for the longest view with a four-digit count, in the font in use.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("Portal notes  (9,999)") + 16)
        self.setMaximumWidth(self.minimumWidth() + 40)
        if select_first:
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
        # Sized by a few characters, not by the longest choice: the bar must fit a laptop.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
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
