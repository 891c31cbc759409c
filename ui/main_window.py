"""The desk's main window: assembles the sidebar, the queue, the detail pane, the toolbar and
the status bar, and connects its own widgets to the queue controller. It reads nothing from the
database; what an action or a poll changed reaches it through the desk's dispatcher."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.desk.tasks import TASK_VIEWS, TaskRow
from app.desk.types import QueueCounts, QueueSort
from ui.dates import short_datetime, short_time
from ui.detail.panel import DetailPanel, compact_rows
from ui.inbox.actions import TaskActions
from ui.inbox.controller import TaskInbox
from ui.inbox.model import COLUMNS as TASK_COLUMNS
from ui.inbox.model import TYPICAL_TEXT as TASK_TYPICAL_TEXT
from ui.inbox.pane import TaskPane
from ui.inbox.views import VIEW_NAMES, VIEW_SHORTCUTS, TaskViewsList, TaskViewsModel
from ui.menus import DeskMenus
from ui.notices import LOG_SHORTCUT, ItemNote, NoticeBar, NoticeEntry
from ui.queue.controller import QueueController
from ui.queue.filters import SAVED_VIEWS, SavedViewsModel
from ui.queue.view import FilterBar, QueueView, Sidebar, empty_text_for
from ui.reports import REPORTS_SHORTCUT
from ui.review.actions import ReviewActions
from ui.review.session import ReviewSession


class StatusLabel(QLabel):
    """A status-bar text that never widens the window: on a narrow one it is elided, and the
    whole text is in its tooltip."""

    MIN_CHARS = 6

    def __init__(self, name: str) -> None:
        super().__init__("")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(name)
        self._full = ""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def full_text(self) -> str:
        return self._full

    def text(self) -> str:  # noqa: N802 (what it says, not what fits)
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * self.MIN_CHARS), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 8, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(self.width(), 1))
        super().setText(shown if self.width() > 1 else self._full)


def status_label(name: str) -> StatusLabel:
    return StatusLabel(name)


def task_table(inbox: TaskInbox) -> QTableView:
    view = QTableView()
    view.setModel(inbox.model)
    view.setAccessibleName("Owner tasks")
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # reassigning several
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    metrics = view.fontMetrics()
    for column, name in enumerate(TASK_COLUMNS):
        typical = TASK_TYPICAL_TEXT.get(name)
        if typical is None:  # lead, client and task share what is left, elided
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.resizeSection(column, max(metrics.horizontalAdvance(typical), metrics.horizontalAdvance(name)) + 18)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    compact_rows(view)
    return view


class MainWindow(QMainWindow):
    """The queue and the task inbox share the window: the sidebar's views choose which shows
    (a stack, so switching moves nothing else), each with its own pane on the right."""

    closed = Signal()
    tasks_shown = Signal(bool)  # the inbox (True) or the queue (False) is on screen

    def __init__(
        self,
        controller: QueueController,
        session: ReviewSession,
        inbox: TaskInbox,
        database_label: str,
        user_label: str,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.session = session
        self.inbox = inbox
        self.setWindowTitle("Review Desk")
        self.database_label = database_label
        self.resize(1400, 860)
        self.notices = NoticeBar()  # what just happened, the session's log, the connection state
        self.item_note = ItemNote()  # facts about the open item only
        self.views_model = SavedViewsModel(self)
        self.sidebar = Sidebar(self.views_model)
        self.filters = FilterBar()
        self.queue = QueueView(controller.model)
        self.actions_ = ReviewActions(self, session, controller, self.queue, lambda: self.detail)
        self.detail = DetailPanel(self.actions_.review_actions)
        self.task_views_model = TaskViewsModel(self)
        self.task_views = TaskViewsList(self.task_views_model)
        self.tasks_table = task_table(inbox)
        self.task_actions = TaskActions(
            self, inbox, self.actions_.add_global, session.context.actor.can_supervise, self.selected_task_ids
        )
        self.task_pane = TaskPane(self.task_actions.task_actions)
        self._build_layout()
        self._build_toolbar()
        self._build_status_bar(database_label, user_label)
        self.menus = DeskMenus(self)
        self._connect()
        self.queue.setFocus()

    # --- building -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.filters)
        middle_layout.addWidget(self.queue, 1)
        # The item note has a fixed height above the detail pane: a fact appearing moves nothing.
        detail_side = QWidget()
        detail_layout = QVBoxLayout(detail_side)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(2)
        detail_layout.addWidget(self.item_note)
        detail_layout.addWidget(self.detail, 1)
        views = QWidget()
        views_layout = QVBoxLayout(views)
        views_layout.setContentsMargins(0, 0, 0, 0)
        views_layout.addWidget(self.sidebar, 1)
        views_layout.addWidget(self.task_views)
        self.middle = QStackedWidget()
        self.middle.addWidget(middle)
        self.middle.addWidget(self.tasks_table)
        self.right = QStackedWidget()
        self.right.addWidget(detail_side)
        self.right.addWidget(self.task_pane)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (views, self.middle, self.right):
            splitter.addWidget(widget)
        splitter.setSizes([150, 690, 460])  # at 1280 wide: the queue's default columns fit
        splitter.setCollapsible(1, False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.notices)  # a fixed height: no notice moves the queue or the pane
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.notices_action = self.actions_.add_global(
            "Notices…", [LOG_SHORTCUT], self.notices.open_log, "Every notice of this session, newest first"
        )

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Actions")
        toolbar.setObjectName("actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        a = self.actions_
        for action in (a.approve, a.approve_edits, a.reject, a.escalate, a.skip, a.undo, a.bulk, a.regenerate):
            toolbar.addAction(action)
        toolbar.addSeparator()
        self.refresh_action = a.add_global("Refresh  F5", ["F5"], self.refresh, "Reload the queue")
        self.settings_action = a.add_global("Settings…", ["Ctrl+,"], lambda: None, "Open the settings")
        self.pauses_action = a.add_global(
            "Pauses…  Ctrl+P", ["Ctrl+P"], lambda: None, "The pause board: what is paused, why, and resuming"
        )
        self.pause_workflow_action = a.add_global(
            "Pause this workflow…",
            ["Shift+P"],
            lambda: None,
            "Stop everything of the open item's workflow from leaving (supervisors)",
        )
        self.pause_client_action = a.add_global(
            "Pause this client…",
            ["Ctrl+Shift+P"],
            lambda: None,
            "Stop everything for the open item's client from leaving (supervisors)",
        )
        self.snippets_action = a.add_global(
            "Snippets…", ["Ctrl+Shift+G"], lambda: None, "The approved material AI drafts may use (supervisors edit it)"
        )
        self.help_action = a.add_global("Shortcuts  ?", ["?", "F1"], lambda: None, "Show every keyboard shortcut")
        self.reports_action = a.add_global(
            "&Reports…", [REPORTS_SHORTCUT], lambda: None, "KPIs, charts and each lane's baseline against now"
        )
        self.lead_action = a.add_global(
            "Lead stage  L", ["L"], self._show_lead, "The open lead's stage and next action, to move it on"
        )
        self.search_action = a.add_global("&Search", ["Ctrl+F", "/"], self._focus_search, "Search the queue")
        self.quit_action = a.add_global("&Quit", ["Ctrl+Q"], self.close, "Close Review Desk")
        self.view_actions = [
            a.add_global(
                view.name,
                [f"Ctrl+{row + 1}"],
                lambda r=row: self.sidebar.setCurrentIndex(self.views_model.index(r)),
                f"Show the {view.name} view",
            )
            for row, view in enumerate(SAVED_VIEWS[:9])
        ]
        self.task_view_actions = [
            a.add_global(
                VIEW_NAMES[view],
                [VIEW_SHORTCUTS[view]],
                lambda v=view: self.task_views.select(v),
                f"Show the {VIEW_NAMES[view]} view of the owner-task inbox",
            )
            for view in TASK_VIEWS
        ]
        # Snippets and Settings are in the menus: the toolbar must fit a laptop's width.
        for action in (self.refresh_action, self.pauses_action, self.help_action):
            toolbar.addAction(action)
        self.addToolBar(toolbar)

    def _build_status_bar(self, database_label: str, user_label: str) -> None:
        self.db_label = status_label("Database")
        self.db_label.setText(f"● {database_label}")
        self.poll_label = status_label("Last poll")
        self.poll_label.setText("not polled yet")
        self.count_label = status_label("Queue counts")
        self.pause_label = status_label("Paused automations")
        self.ai_label = status_label("AI drafting")
        self.ai_label.setText("offline drafts")
        self.user_label = status_label("Signed in as")
        self.user_label.setText(user_label)
        for label in (
            self.db_label,
            self.poll_label,
            self.count_label,
            self.pause_label,
            self.ai_label,
            self.user_label,
        ):
            self.statusBar().addPermanentWidget(label)

    def _connect(self) -> None:
        self.controller.select_row.connect(self.select_row)
        self.controller.counts_changed.connect(self._show_counts)
        self.queue.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.queue.horizontalHeader().sortIndicatorChanged.connect(self._on_sort)
        self.sidebar.selectionModel().currentRowChanged.connect(self._on_view)
        self.filters.changed.connect(self._on_filters)
        self.task_views.selectionModel().currentRowChanged.connect(self._on_task_view)
        self.tasks_table.selectionModel().currentRowChanged.connect(self._on_task_row)
        inbox = self.inbox
        inbox.select_row.connect(self.select_task_row)
        inbox.current_changed.connect(self._show_task)
        inbox.history_loaded.connect(self.task_pane.show_history)
        inbox.timeline_loaded.connect(self.task_pane.show_timeline)
        inbox.ticked.connect(self.task_pane.show_clock)
        inbox.counts_changed.connect(self.task_views_model.set_counts)

    # --- slots ---------------------------------------------------------------------------

    def _on_view(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return  # a task view was chosen
        self._show_tasks(False)
        view = SAVED_VIEWS[current.row()]
        self.queue.set_empty_text(empty_text_for(view.name))
        self.controller.model.set_decided_view(view.sort.column == "decided")
        self.controller.show_view(current.row())
        self._show_sort()

    def _on_task_view(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return  # a queue view was chosen
        self._show_tasks(True)
        self.inbox.show_view(TASK_VIEWS[current.row()])
        self.tasks_table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_tasks(self, shown: bool) -> None:
        """One list's view is current, never both; the other is cleared so choosing it again
        is a change."""
        if shown == (self.middle.currentIndex() == 1):
            return
        (self.sidebar if shown else self.task_views).selectionModel().clear()
        self.middle.setCurrentIndex(1 if shown else 0)
        self.right.setCurrentIndex(1 if shown else 0)
        if not shown:
            self.inbox.hide()
            self.queue.setFocus(Qt.FocusReason.OtherFocusReason)
        self.actions_.set_queue_shown(not shown)
        self.task_actions.update_enabled()
        self.tasks_shown.emit(shown)

    def _show_lead(self) -> None:
        pane = self.task_pane if self.middle.currentIndex() == 1 else self.detail
        pane.show_lead_tab()
        if pane.lead_panel is not None:
            pane.lead_panel.focus()

    def selected_task_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.tasks_table.selectionModel().selectedRows()})
        return [task.id for row in rows if (task := self.inbox.model.row_at(row)) is not None]

    def _on_task_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.inbox.on_current_row(current.row() if current.isValid() else None)

    def _show_task(self, task: TaskRow | None) -> None:
        self.task_pane.show_task(task, self.inbox.model.now)

    def select_task_row(self, row: int) -> None:
        index = self.inbox.model.index(row, 0)
        if not index.isValid():
            return
        if self.tasks_table.currentIndex().row() == row:
            self.inbox.on_current_row(row)  # already current: Qt emits nothing
        self.tasks_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tasks_table.scrollTo(index)

    def open_alert(self, kind: str, target_id: int) -> None:
        """A click on an alert: a task in My tasks, or an item in the Open view, made current
        once read."""
        if kind == "task":
            self.inbox.want(target_id)
            if self.middle.currentIndex() == 1 and self.inbox.view == "my_tasks":
                self.inbox.reload()
            else:
                self.task_views.select("my_tasks")
        else:
            self.sidebar.blockSignals(True)  # the view is shown below, with the item kept
            self.sidebar.selectionModel().blockSignals(True)
            self.sidebar.setCurrentIndex(self.views_model.index(0))
            self.sidebar.selectionModel().blockSignals(False)
            self.sidebar.blockSignals(False)
            self._show_tasks(False)
            self.controller.show_view(0, keep_id=target_id)
            self._show_sort()
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _on_filters(self, values: dict[str, object]) -> None:
        self.controller.set_extra(**values)

    def show_failure(self, what: str, exc: BaseException) -> None:
        self.notices.add(NoticeEntry(self.notices.clock(), f"Problem while {what}: {type(exc).__name__}", "error"))

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.controller.on_current_row(current.row() if current.isValid() else None)

    def select_row(self, row: int) -> None:
        index = self.controller.model.index(row, 0)
        if not index.isValid():
            return
        if self.queue.currentIndex().row() == row:
            self.controller.on_current_row(row)  # already current: Qt emits nothing
        self.queue.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.queue.scrollTo(index)

    def _on_sort(self, column: int, order: Qt.SortOrder) -> None:
        key = self.queue.sort_key(column)
        if key is None:
            self._show_sort()  # not a sort: the indicator goes back on the column that is sorting
            return
        self.controller.set_sort(QueueSort(key, order == Qt.SortOrder.DescendingOrder))

    def _show_sort(self) -> None:
        """The header's indicator on the column the queue is sorted by (none if no column sorts so)."""
        columns = self.controller.model.columnCount()
        current = next((i for i in range(columns) if self.queue.sort_key(i) == self.controller.sort.column), -1)
        order = Qt.SortOrder.DescendingOrder if self.controller.sort.descending else Qt.SortOrder.AscendingOrder
        header = self.queue.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(current, order)
        header.blockSignals(False)

    def show_counting(self) -> None:
        """Before the first count and the first read of the pauses: not zero, not "no pauses"."""
        self.count_label.setText("Counting…")
        self.pause_label.setText("Checking pauses…")

    def _show_counts(self, counts: QueueCounts) -> None:
        self.views_model.set_counts(counts)
        self.count_label.setText(
            f"{counts.open:,} open · {counts.mine:,} mine · {counts.overdue:,} overdue · {counts.high_risk:,} high"
        )
        self.count_label.setToolTip(
            f"{counts.open:,} open, {counts.mine:,} held by or assigned to you, {counts.overdue:,} overdue, "
            f"{counts.high_risk:,} with a high-risk flag"
        )

    def show_poll(self, when: datetime, summary: str) -> None:
        self.poll_label.setText(f"polled {short_time(when)}{summary}")
        self.poll_label.setToolTip(f"Last poll {short_datetime(when)}{summary}")

    def show_connection(self, connected: bool, database_label: str) -> None:
        """A standing state in the notice bar and the status bar; each change goes to the log."""
        self.notices.set_connected(connected)
        if connected:
            self.db_label.setText(f"● {database_label}")
            text, level = "Reconnected to the database.", "info"
        else:
            self.db_label.setText(f"○ {database_label} — reconnecting")
            text, level = "Lost the connection to the database; retrying every few seconds.", "error"
        self.notices.add(NoticeEntry(self.notices.clock(), text, level, background=True))

    def show_drafting(self, ai_on: bool, waiting: int) -> None:
        if not ai_on:
            self.ai_label.setText("offline drafts" + (f" · {waiting} to release" if waiting else ""))
        else:
            self.ai_label.setText(f"AI drafting {waiting}" if waiting else "AI ready")

    def show_pauses(self, count: int) -> None:
        self.pause_label.setText(f"{count} paused" if count else "no pauses")

    def refresh(self) -> None:
        self.controller.refresh()
        self.controller.refresh_counts(force=True)

    def _focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
