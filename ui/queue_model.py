"""The queue as a Qt table model over a count and a lazy cache of pages.

The model never touches the database. It knows how many rows match (``reset``) and holds the
pages fetched so far; when a view asks for a row whose page is missing, it shows a
placeholder and emits ``page_needed`` once; the controller fetches the page off the GUI thread
and hands it back with ``set_page``. A generation number discards pages fetched for an older
filter or sort.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor

from db.queries.queue import QueueRow
from ui.table_model import Index, ReadOnlyTableModel

PAGE_SIZE = 200
COLUMNS = ("Priority", "Age", "Client", "Kind", "Source", "Lead", "Flags", "State", "Held by")
SORT_KEYS = ("priority", "age", "client", "kind", None, None, "severity", "status", None)
KIND_LABELS = {
    "portal_note": "Portal note",
    "message": "Message",
    "crm_handoff": "CRM handoff",
    "report_note": "Report note",
}
SEVERITY_LABELS = {0: "", 1: "low", 2: "medium", 3: "HIGH"}
_OVERDUE = QColor("#c62828")
_DUE_SOON = QColor("#ef6c00")
_HIGH = QColor("#b71c1c")


def format_age(created: datetime, now: datetime) -> str:
    minutes = max(0, int((now - created).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // (24 * 60)} d"


class QueueTableModel(ReadOnlyTableModel):
    COLUMNS = COLUMNS
    page_needed = Signal(int, int)  # page number, generation

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._total = 0
        self._pages: dict[int, list[QueueRow]] = {}
        self._requested: set[int] = set()
        self._generation = 0

    # --- what the controller calls -------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._generation

    def reset(self, total: int, first_page: list[QueueRow] | None = None) -> None:
        """A new result set (new filter, sort, or data): drop every cached page."""
        self.beginResetModel()
        self._generation += 1
        self._total = total
        self._pages = {0: first_page} if first_page is not None else {}
        self._requested = set()
        self.endResetModel()

    def set_page(self, page: int, generation: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        self._pages[page] = rows
        self._requested.discard(page)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def row_at(self, row: int) -> QueueRow | None:
        page, offset = divmod(row, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None or offset >= len(rows):
            return None
        return rows[offset]

    def row_of(self, item_id: int) -> int | None:
        """The row showing ``item_id`` among the pages loaded, if any."""
        for page, rows in self._pages.items():
            for offset, entry in enumerate(rows):
                if entry.id == item_id:
                    return page * PAGE_SIZE + offset
        return None

    # --- QAbstractTableModel -------------------------------------------------------------

    def _row_count(self) -> int:
        return self._total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._total):
            return None
        entry = self.row_at(index.row())
        if entry is None:
            self._request(index.row() // PAGE_SIZE)
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return f"Due {entry.sla_due_at.astimezone():%a %H:%M}"
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None

    def _request(self, page: int) -> None:
        if page not in self._requested:
            self._requested.add(page)
            self.page_needed.emit(page, self._generation)

    @staticmethod
    def _display(entry: QueueRow, column: int) -> str:
        now = datetime.now(UTC)
        match column:
            case 0:
                return f"P{entry.priority}"
            case 1:
                return format_age(entry.arrived_at, now)
            case 2:
                return entry.client_name
            case 3:
                return KIND_LABELS.get(entry.kind, entry.kind)
            case 4:
                return entry.provider
            case 5:
                return entry.lead_label
            case 6:
                label = SEVERITY_LABELS.get(entry.top_severity, "")
                codes = entry.flag_codes.replace(",", ", ")
                return f"{label}: {codes}" if codes else ""
            case 7:
                return entry.status.replace("_", " ")
            case 8:
                return entry.holder or ""
        return ""

    @staticmethod
    def _foreground(entry: QueueRow, column: int) -> QBrush | None:
        if column == 1:
            now = datetime.now(UTC)
            if entry.sla_due_at <= now:
                return QBrush(_OVERDUE)
            total = (entry.sla_due_at - entry.arrived_at).total_seconds() or 1
            if (entry.sla_due_at - now).total_seconds() / total < 0.25:
                return QBrush(_DUE_SOON)
        if column == 6 and entry.top_severity >= 3:
            return QBrush(_HIGH)
        return None
