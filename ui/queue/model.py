"""The queue as a Qt table model over a row count and a cache of fetched rows.

The model never touches the database. It holds the rows fetched so far, keyed by their row
number; when a view asks for a row that is not there it shows a placeholder and emits
``page_needed`` once; the controller fetches the page off the GUI thread and hands it back with
``set_page``. A generation number discards pages fetched for an older filter, sort or refresh.
After a poll the cache is kept on screen (no flicker) until the refreshed pages replace it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QModelRoleDataSpan, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app import words
from app.desk.types import Pause, QueueRow, pause_covering
from ui.dates import short_datetime, short_time
from ui.table_model import Index, ReadOnlyTableModel

PAGE_SIZE = 200
TEXT_CACHE_ROWS = 20_000
COLUMNS = ("Priority", "Age", "Client", "Kind", "Source", "Lead", "Flags", "State", "Held by")
# The sort each column header offers (None: not sortable; filter by it instead).
SORT_KEYS: tuple[str | None, ...] = ("priority", "age", None, None, None, None, None, None, None)
HELD_TEXT = "Held (paused)"  # the State of a row a pause covers; which pause: the tooltip
_OVERDUE = QBrush(QColor("#d32f2f"))  # mid tones: readable on a light and a dark base
_DUE_SOON = QBrush(QColor("#e67700"))
_HIGH = QBrush(QColor("#d32f2f"))
_HELD = QBrush(QColor("#8a8a8a"))  # a paused scope's rows: greyed, the State column says why

# The roles this model answers, as plain ints: a repaint asks about a dozen roles per cell,
# and comparing ints is far cheaper than looking up Qt's enum members on every call.
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_ROLES = frozenset({_DISPLAY, _FOREGROUND, _FONT, _TOOLTIP, _ACCESSIBLE})


def format_age(arrived: datetime, now: datetime) -> str:
    minutes = max(0, int((now - arrived).total_seconds() // 60))
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
        self._rows: dict[int, QueueRow] = {}
        # Display strings are built once per row (a repaint asks for hundreds of cells); only
        # the age depends on the clock, read from ``_now``, which the controller moves on.
        self._text: dict[QueueRow, tuple[str, ...]] = {}
        self._now = datetime.now(UTC)
        self._pauses: list[Pause] = []
        self._decided_view = False
        self._requested: set[int] = set()
        self._stale = False
        self._generation = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # --- what the controller calls -------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._generation

    def reset(self, total: int, first_page: list[QueueRow]) -> None:
        """A new result set (filter or sort changed): drop everything cached."""
        self.beginResetModel()
        self._generation += 1
        self._total = total
        self._rows = dict(enumerate(first_page))
        self._requested = set()
        self._stale = False
        self.endResetModel()

    def begin_refresh(self) -> int:
        """New data may have arrived: keep showing what is cached, but fetch pages again as
        they are looked at. Returns the generation the refreshed pages must carry."""
        self._generation += 1
        self._requested = set()
        self._stale = True
        return self._generation

    def set_total(self, total: int, generation: int) -> None:
        """The exact count, which may arrive after the first page."""
        if generation != self._generation or total == self._total:
            return
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        else:
            self.beginRemoveRows(QModelIndex(), total, self._total - 1)
            self._total = total
            self._rows = {r: v for r, v in self._rows.items() if r < total}
            self.endRemoveRows()

    def set_page(self, page: int, generation: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        first = page * PAGE_SIZE
        for offset, entry in enumerate(rows):
            if first + offset < self._total:
                self._rows[first + offset] = entry
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def remove_row(self, row: int) -> None:
        """The item at ``row`` left this view (acted on): later rows move up, as they will in
        the database's answer too."""
        if not 0 <= row < self._total:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._total -= 1
        self._rows = {(r - 1 if r > row else r): v for r, v in self._rows.items() if r != row}
        self.endRemoveRows()

    def row_at(self, row: int) -> QueueRow | None:
        return self._rows.get(row)

    def row_of(self, item_id: int) -> int | None:
        """The row showing ``item_id`` among those cached, if any."""
        for row, entry in self._rows.items():
            if entry.id == item_id:
                return row
        return None

    # --- QAbstractTableModel -------------------------------------------------------------

    def _row_count(self) -> int:
        return self._total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not (0 <= index.row() < self._total):
            return None
        row = index.row()
        return self._value(self._entry(row), row, index.column(), role)

    def multiData(self, index: Index, roles: QModelRoleDataSpan) -> None:  # noqa: N802 (Qt's name)
        """Every role a cell is painted with, in one call: the view asks for seven per cell, and
        each call from Qt into Python must take the interpreter lock, which the AI and database
        threads hold in turn (measured: a queue repaint waited 30-50 ms for it while drafts
        landed, one call per cell brought it to ~10)."""
        if not index.isValid() or not (0 <= index.row() < self._total):
            return
        row, column = index.row(), index.column()
        entry = self._entry(row)
        for wanted in roles:
            role = wanted.role()
            if role in _ROLES:
                wanted.setData(self._value(entry, row, column, role))

    def _entry(self, row: int) -> QueueRow | None:
        """The fetched row (None: not fetched yet, its page is asked for)."""
        entry = self._rows.get(row)
        if entry is None or self._stale:
            self._request(row // PAGE_SIZE)
        return entry

    def _value(self, entry: QueueRow | None, row: int, column: int, role: int) -> Any:
        if entry is None:
            if role == _DISPLAY and column == 0:
                return "…"
            return None
        if role == _DISPLAY:
            if column == 1:
                if self._decided_view and entry.decided_at is not None:
                    return self._decided_when(entry.decided_at)
                return format_age(entry.arrived_at, self._now)
            return self._texts(entry)[column]
        if role == _FOREGROUND:
            if column not in (1, 6) and self.pause_of(row) is not None:  # the pause, not the text shown
                return _HELD
            return self._foreground(entry, column, self._now)
        if role == _FONT and column == 0 and entry.priority == 1:
            return self._bold
        if role == _TOOLTIP:
            return self._tooltip(entry, row, column)
        if role == _ACCESSIBLE:
            return self._texts(entry)[column] or "none"
        return None

    def _tooltip(self, entry: QueueRow, row: int, column: int) -> str:
        """The whole value of every cell (the column may elide it), and what a short one means."""
        if column == 0:
            return f"Priority {entry.priority} (1 is the most urgent)"
        if column == 1:
            arrived = f"Arrived {short_datetime(entry.arrived_at)}, due {short_datetime(entry.sla_due_at)}"
            if entry.decided_at is None:
                return arrived
            by = f" by {entry.decided_by}" if entry.decided_by else ""
            return f"Decided {short_datetime(entry.decided_at)}{by}. {arrived}"
        if column == 6 and (level := words.severity(entry.top_severity)):
            return f"{level} risk: {self._texts(entry)[6]}"
        if column == 7 and (holding := self.pause_of(row)) is not None:
            what = words.paused(holding.scope, holding.key, holding.label)
            return f"{words.status(entry.status)}; nothing leaves while {what} is paused: {holding.reason}"
        return self._texts(entry)[column]

    def set_decided_view(self, decided: bool) -> None:
        """The Decided view: its second column shows (and sorts by) when each item was decided,
        not its age."""
        if decided == self._decided_view:
            return
        self._decided_view = decided
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, 1)
        if self._total:
            self.dataChanged.emit(self.index(0, 1), self.index(self._total - 1, 1))

    def sort_key(self, column: int) -> str | None:
        """The sort a column's header offers (None: not sortable; filter by it instead)."""
        if column == 1 and self._decided_view:
            return "decided"
        return SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if section == 1 and self._decided_view and orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return "Decided"
        return super().headerData(section, orientation, role)

    def _decided_when(self, decided_at: datetime) -> str:
        """The time alone for today's decisions, the date too for older ones."""
        same_day = decided_at.astimezone().date() == self._now.astimezone().date()
        return short_time(decided_at) if same_day else short_datetime(decided_at)

    def set_pauses(self, pauses: list[Pause]) -> None:
        """The active pauses: rows they cover show as held, with the pause named."""
        if pauses == self._pauses:
            return
        self._pauses = pauses
        self._text = {}
        if self._total:
            self.dataChanged.emit(self.index(0, 7), self.index(self._total - 1, 7))

    def pause_of(self, row: int) -> Pause | None:
        entry = self._rows.get(row)
        if entry is None:
            return None
        return pause_covering(self._pauses, entry.workflow, entry.client_id, entry.provider)

    def tick(self) -> None:
        """Time moved on: ages (and their SLA colours) are shown anew."""
        self._now = datetime.now(UTC)
        if self._total:
            self.dataChanged.emit(self.index(0, 1), self.index(self._total - 1, 1))

    def _texts(self, entry: QueueRow) -> tuple[str, ...]:
        """Keyed by the row's values, so a row that changed (claimed, re-flagged) gets new text."""
        texts = self._text.get(entry)
        if texts is None:
            texts = tuple(self._display(entry, column) for column in range(len(COLUMNS)))
            holding = pause_covering(self._pauses, entry.workflow, entry.client_id, entry.provider)
            if holding is not None:
                texts = (*texts[:7], HELD_TEXT, *texts[8:])
            self._text[entry] = texts
            if len(self._text) > TEXT_CACHE_ROWS:
                self._text = {}  # simple and rare: the visible rows refill it at once
        return texts

    def _request(self, page: int) -> None:
        if page not in self._requested:
            self._requested.add(page)
            self.page_needed.emit(page, self._generation)

    @staticmethod
    def _display(entry: QueueRow, column: int) -> str:
        match column:
            case 0:
                return f"P{entry.priority}"
            case 1:
                return ""  # the age: computed at paint time from the model's clock
            case 2:
                return entry.client_name
            case 3:
                return words.kind(entry.kind)
            case 4:
                return words.source(entry.provider)
            case 5:
                return entry.lead_label
            case 6:
                return words.flags(entry.flag_codes)  # the severity: colour and tooltip
            case 7:
                return words.status(entry.status)  # a held row's text is set by ``_texts``
            case 8:
                return entry.holder or ""
        return ""

    @staticmethod
    def _foreground(entry: QueueRow, column: int, now: datetime) -> QBrush | None:
        if column == 1:
            if entry.sla_due_at <= now:
                return _OVERDUE
            total = (entry.sla_due_at - entry.arrived_at).total_seconds() or 1
            if (entry.sla_due_at - now).total_seconds() / total < 0.25:
                return _DUE_SOON
        if column == 6 and entry.top_severity >= 3:
            return _HIGH  # high risk in red; lower ones in the text colour
        return None
