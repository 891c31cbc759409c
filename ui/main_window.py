"""The desk's main window: assembles the queue, the detail pane, actions and the status bar.

Behaviour lives in the controller; this class only lays out widgets and connects signals.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.pipeline.poller import PollResult
from db.queries.detail import ItemDetail
from db.vocab import DECIDED_ITEM_STATUSES, OPEN_ITEM_STATUSES, ItemStatus
from ui.banner import Banner
from ui.detail_panel import DetailPanel
from ui.queue_controller import QueueController
from ui.queue_panel import QueueView


VIEWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Open items", tuple(OPEN_ITEM_STATUSES)),
    ("Decided", DECIDED_ITEM_STATUSES),
    ("Everything", tuple(ItemStatus)),
)


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, controller: QueueController, database_label: str, user_label: str) -> None:
        super().__init__()
        self.controller = controller
        self.setWindowTitle("Review Desk")
        self.resize(1280, 800)
        self.banner = Banner()
        self.queue = QueueView(controller.model)
        self.detail = DetailPanel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.queue)
        splitter.addWidget(self.detail)
        splitter.setSizes([800, 480])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._build_actions()
        self._build_status_bar(database_label, user_label)
        self._connect()
        self.queue.setFocus()

    def _action(self, text: str, shortcuts: list[str], slot: object, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        keys = " or ".join(shortcuts)
        action.setToolTip(f"{tip} ({keys})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.approve_action = self._action(
            "&Approve  [A]", ["A", "Ctrl+Return"], self.controller.approve_current,
            "Approve the draft as it is and publish it",
        )
        self.next_action = self._action("Next  [J]", ["J"], lambda: self._move(1), "Next item")
        self.previous_action = self._action(
            "Previous  [K]", ["K"], lambda: self._move(-1), "Previous item"
        )
        self.refresh_action = self._action(
            "Refresh  [F5]", ["F5"], lambda: self.controller.refresh(), "Reload the queue"
        )
        self.quit_action = self._action("Quit", ["Ctrl+Q"], self.close, "Close Review Desk")
        toolbar = QToolBar("Actions")
        toolbar.setObjectName("actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.approve_action, self.previous_action, self.next_action,
                       self.refresh_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        self.view_choice = QComboBox()
        self.view_choice.setAccessibleName("Which items to list")
        # Labels only: the statuses stay in VIEWS, looked up by index (no Python objects
        # round-tripping through QVariant).
        self.view_choice.addItems([label for label, _ in VIEWS])
        view_label = QLabel(" &View: ")
        view_label.setBuddy(self.view_choice)  # Alt+V focuses the choice
        toolbar.addWidget(view_label)
        toolbar.addWidget(self.view_choice)
        self.addToolBar(toolbar)

    def _build_status_bar(self, database_label: str, user_label: str) -> None:
        self.db_label = QLabel(database_label)
        self.poll_label = QLabel("not polled yet")
        self.count_label = QLabel("")
        self.user_label = QLabel(user_label)
        for label in (self.db_label, self.poll_label, self.count_label, self.user_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.statusBar().addPermanentWidget(label)

    def _connect(self) -> None:
        c = self.controller
        c.detail_changed.connect(self._show_detail)
        c.select_row.connect(self.select_row)
        c.refused.connect(lambda text: self.banner.show_message(text, "warning"))
        c.counts_changed.connect(
            lambda n: self.count_label.setText(f"{n} {self.view_choice.currentText().lower()}")
        )
        c.polled.connect(self._show_poll)
        c.busy_changed.connect(lambda busy: self.approve_action.setEnabled(not busy))
        c.runner.failed.connect(
            lambda what, exc: self.banner.show_message(f"Problem while {what}: {exc}", "error", 0)
        )
        self.queue.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.queue.horizontalHeader().sortIndicatorChanged.connect(self._on_sort)
        self.view_choice.currentIndexChanged.connect(
            lambda index: self.controller.show_statuses(VIEWS[index][1])
        )

    # --- slots ---------------------------------------------------------------------------

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.controller.show_row(current.row() if current.isValid() else None)

    def select_row(self, row: int) -> None:
        index = self.controller.model.index(row, 0)
        if not index.isValid():
            return
        if self.queue.currentIndex().row() == row:
            # Selecting the row it already has emits nothing; open the item anyway.
            self.controller.show_row(row)
        self.queue.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.queue.scrollTo(index)

    def _move(self, step: int) -> None:
        current = self.queue.currentIndex().row()
        target = max(0, min(self.controller.model.rowCount() - 1, current + step))
        if target >= 0:
            self.select_row(target)

    def _on_sort(self, column: int, order: Qt.SortOrder) -> None:
        if not self.queue.sortable(column):
            return
        self.controller.sort_by_column(column, order == Qt.SortOrder.DescendingOrder)

    def _show_detail(self, detail: ItemDetail | None) -> None:
        self.detail.show_detail(detail)
        self.approve_action.setEnabled(detail is not None and detail.status in OPEN_ITEM_STATUSES)

    def _show_poll(self, result: PollResult, when: datetime) -> None:
        text = f"polled {when.astimezone():%H:%M:%S}"
        if result.claimed:
            text += f" · {result.processed} new, {result.quarantined} quarantined"
        self.poll_label.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
