"""What the desk tells the reviewer, in places that never move the queue or the detail pane.

* ``NoticeLog``: every outcome of this session (approved, refused and why, undone, held,
  released, pushed, failed), newest first, each with its time and lead.
* ``NoticeBar``: a strip of fixed height above the queue. It shows the newest notice until the
  reviewer's next action (never a timer), counts an approval's undo window down, keeps the
  connection state standing beside it, and opens the whole log (Ctrl+Shift+N) as a popup.
  A notice of the desk's own cycle (a poll, a push) never takes the place of the outcome of
  the reviewer's own action: it goes to the log and the log's button counts it as new.
* ``ItemNote``: a line of fixed height above the detail pane with facts about the open item
  only (held by a pause, text restored, why it is read-only), replaced at every open.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.types import utcnow
from ui.style import accent

LOG_CAP = 200  # a working day's outcomes; older ones are in the audit log
LOG_SHORTCUT = "Ctrl+Shift+N"
LEAD_WIDTH = 200  # px: a long lead name is elided, the notice keeps the room
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER = f"The outcome of your next action shows here. All notices of this session: {LOG_SHORTCUT}."
LOST = "Database unreachable — retrying"
LOST_DETAIL = (
    "The database cannot be reached. The desk retries every few seconds; what you type is kept on this computer."
)

Index = QModelIndex | QPersistentModelIndex


def clock_time(moment: datetime) -> str:
    return f"{moment.astimezone():%H:%M:%S}"


@dataclass
class NoticeEntry:
    """One notice as the log keeps it. An approval with an undo window carries ``until`` (when
    it leaves the desk) and its item, so its wording can count down and say when it was undone."""

    at: datetime
    text: str
    level: str = "info"
    lead: str = ""
    background: bool = False  # from the desk's own cycle, not from the reviewer's action
    until: datetime | None = None
    item_id: int | None = None
    held_by: str = ""  # the pause holding the approved item, when one did
    undone: bool = False

    def counting(self, now: datetime) -> bool:
        return self.until is not None and not self.undone and now < self.until

    def wording(self, now: datetime) -> str:
        """The text as it reads at ``now``; once the countdown ends, its final wording."""
        if self.until is None:
            return self.text
        held = f"; held until {self.held_by} is resumed" if self.held_by else ""
        if self.undone:
            return f"{self.text} — undone"
        if self.counting(now):
            seconds = math.ceil((self.until - now).total_seconds())
            return f"{self.text} — U to undo, {seconds} s{held}"
        return f"{self.text} — " + (held[2:] if held else "undo time over")

    def about(self) -> str:
        """The lead, when the text does not already name them."""
        return self.lead if self.lead and self.lead not in self.text else ""

    def line(self, now: datetime) -> str:
        about = self.about()
        return f"{clock_time(self.at)}  " + (f"{about} — " if about else "") + self.wording(now)


class NoticeLog(QAbstractListModel):
    """The session's notices, newest first, at most ``LOG_CAP``."""

    def __init__(self, clock: Callable[[], datetime] = utcnow, parent: Any = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.entries: list[NoticeEntry] = []

    def add(self, entry: NoticeEntry) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.entries.insert(0, entry)
        self.endInsertRows()
        if len(self.entries) > LOG_CAP:
            self.beginRemoveRows(QModelIndex(), LOG_CAP, len(self.entries) - 1)
            del self.entries[LOG_CAP:]
            self.endRemoveRows()

    def mark_undone(self, item_id: int) -> bool:
        """The approval of ``item_id`` was undone: its countdown stops. True if one was."""
        for row, entry in enumerate(self.entries):
            if entry.item_id == item_id and entry.until is not None and not entry.undone:
                entry.undone = True
                self._changed(row, row)
                return True
        return False

    def counting(self) -> bool:
        now = self.clock()
        return any(e.counting(now) for e in self.entries)

    def tick(self) -> None:
        """A second passed: the rows still counting (and the one that just ended) read anew."""
        rows = [r for r, e in enumerate(self.entries) if e.until is not None and not e.undone]
        if rows:
            self._changed(rows[0], rows[-1])

    def texts(self) -> list[str]:
        now = self.clock()
        return [e.wording(now) for e in self.entries]

    def _changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first), self.index(last))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries) or index.column() != 0:
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry.line(self.clock())
        if role == LEVEL_ROLE:
            return entry.level
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def fit_lines(label: QLabel, text: str, width: int, lines: int) -> str:
    """``text`` wrapped into at most ``lines`` lines of ``width`` pixels, the last one ending
    in "…" when it does not fit."""
    metrics = label.fontMetrics()
    flat = " ".join(text.split())
    if width <= 0 or not flat:
        return ""
    layout = QTextLayout(flat, label.font())
    layout.beginLayout()
    fitted: list[str] = []
    for number in range(lines):
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start = line.textStart()
        if number == lines - 1:
            fitted.append(metrics.elidedText(flat[start:], Qt.TextElideMode.ElideRight, width))
        else:
            fitted.append(flat[start : start + line.textLength()].rstrip())
    layout.endLayout()
    return "\n".join(fitted)


class FittedLabel(QLabel):
    """Plain text in a fixed number of lines that never asks for more room: what does not fit
    ends in "…" and the whole text is the tooltip (and the accessible description)."""

    def __init__(self, lines: int = 1, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 2)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if name:
            self.setAccessibleName(name)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.updateGeometry()
        self._fit()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.setText(fit_lines(self, self._full, self.contentsRect().width(), self.lines))


def set_level(widget: QWidget, level: str) -> None:
    """The ``level`` property the style sheet colours by ("" for the calm empty state)."""
    if widget.property("level") == level:
        return
    widget.setProperty("level", level)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class NoticeLogPopup(QFrame):
    """The log, laid over the window (in no layout: it moves nothing). Esc, the shortcut again,
    or moving the focus elsewhere closes it."""

    def __init__(self, log: NoticeLog, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("noticeLog")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Notices of this session")
        title = QLabel(f"Notices of this session, newest first ({LOG_SHORTCUT})")
        title.setTextFormat(Qt.TextFormat.PlainText)
        self.view = QListView()
        self.view.setModel(log)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setAccessibleName("Notices")
        self.view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(title)
        layout.addWidget(self.view, 1)
        self.resize(620, 320)
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)


class NoticeBar(QFrame):
    """The newest notice, its time and lead, the connection state, and the log's button."""

    def __init__(self, clock: Callable[[], datetime] = utcnow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setObjectName("noticeBar")
        self.clock = clock
        self.log = NoticeLog(lambda: self.clock(), self)  # one clock for both (tests set it)
        self.prominent: NoticeEntry | None = None
        self.unseen = 0
        self.time = QLabel("")
        self.time.setTextFormat(Qt.TextFormat.PlainText)
        self.time.setObjectName("noticeTime")
        self.time.setAccessibleName("When")
        self.time.setFixedWidth(self.fontMetrics().horizontalAdvance("00:00:00") + 8)
        self.lead = FittedLabel(1, "About")
        self.lead.setObjectName("noticeLead")
        self.lead.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # as wide as its name
        self.text = FittedLabel(1, "Latest notice")
        self.text.setObjectName("noticeText")
        self.standing = QLabel(LOST)
        self.standing.setTextFormat(Qt.TextFormat.PlainText)
        self.standing.setObjectName("noticeStanding")
        self.standing.setAccessibleName("Connection")
        self.standing.setToolTip(LOST_DETAIL)
        self.standing.setVisible(False)
        self.log_button = QToolButton()
        self.log_button.setObjectName("noticeLogButton")
        self.log_button.setToolTip(f"Every notice of this session, newest first ({LOG_SHORTCUT})")
        self.log_button.setAccessibleName("Show all notices")
        self.log_button.setFixedWidth(self.fontMetrics().horizontalAdvance("Notices · 999 new") + 20)
        self.log_button.clicked.connect(self.open_log)
        self.popup = NoticeLogPopup(self.log, self)
        accent(self.popup)  # it moves to the window (which carries no sheet) when shown
        QApplication.instance().focusChanged.connect(self._focus_moved)  # type: ignore[union-attr]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.time)
        layout.addWidget(self.lead)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.standing)
        layout.addWidget(self.log_button)
        # Fixed once, from the tallest part: no notice, wording or state changes it.
        self.setFixedHeight(max(self.log_button.sizeHint().height(), self.text.height()) + 6)
        self._ticker = QTimer(self)
        self._ticker.setObjectName("undoCountdown")
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._render()

    # --- what lands ---------------------------------------------------------------------

    def add(self, entry: NoticeEntry) -> None:
        """Log ``entry``; it becomes the newest shown unless it is the desk's own news and the
        outcome of the reviewer's action is on show."""
        self.log.add(entry)
        if entry.background and self.prominent is not None and not self.prominent.background:
            self.unseen += 1
        else:
            self.prominent = entry
        if entry.until is not None and not self._ticker.isActive():
            self._ticker.start()
        self._render()

    def action_started(self) -> None:
        """The reviewer acts: what was shown belonged to the action before."""
        self.prominent = None
        self._render()

    def mark_undone(self, item_id: int) -> None:
        if self.log.mark_undone(item_id):
            self._render()

    def set_connected(self, connected: bool) -> None:
        """A standing state, shown beside the notice for as long as it lasts."""
        self.standing.setVisible(not connected)

    def shown(self) -> str:
        """The notice on show, as it reads now ("" when none)."""
        return self.prominent.wording(self.clock()) if self.prominent is not None else ""

    # --- the log ------------------------------------------------------------------------

    def open_log(self) -> None:
        """Show the log under the bar's right end, over whatever is there (or close it)."""
        if self.popup.isVisible():
            self.popup.hide()
            return
        window = self.window()
        if self.popup.parentWidget() is not window:
            self.popup.setParent(window)
        self.unseen = 0
        self._render()
        self.popup.resize(min(620, window.width() - 12), min(320, max(160, window.height() // 2)))
        self.popup.move(self.mapTo(window, QPoint(max(0, self.width() - self.popup.width()), self.height())))
        self.popup.show()
        self.popup.raise_()
        self.popup.view.scrollToTop()
        self.popup.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.popup.isVisible() and new is not None and not self.popup.isAncestorOf(new):
            self.popup.hide()

    # --- showing ------------------------------------------------------------------------

    def tick(self) -> None:
        """Each second while an undo window is open: the countdowns read anew."""
        self.log.tick()
        self._render()
        if not self.log.counting():
            self._ticker.stop()

    def _render(self) -> None:
        entry = self.prominent
        self.log_button.setText(f"Notices · {self.unseen} new" if self.unseen else "Notices")
        about = entry.about() if entry is not None else ""
        self.time.setText(clock_time(entry.at) if entry is not None else "")
        self.lead.set_full_text(about)
        self.lead.setFixedWidth(min(LEAD_WIDTH, self.lead.fontMetrics().horizontalAdvance(about) + 8) if about else 0)
        self.text.set_full_text(entry.wording(self.clock()) if entry is not None else PLACEHOLDER)
        for part in (self, self.text):
            set_level(part, entry.level if entry is not None else "")
        self.layout().activate()  # at the lead's new width now, never painted at the old one


class ItemNote(FittedLabel):
    """Facts about the open item, two lines at most, in a place of its own that never grows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(2, "About the open item", parent)
        accent(self)
        self.setObjectName("itemNote")
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 10)
        self.setContentsMargins(8, 3, 8, 3)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def show_facts(self, facts: list[str], level: str = "info") -> None:
        self.set_full_text("  ·  ".join(facts))
        set_level(self, level if facts else "")
