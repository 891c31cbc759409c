"""The pause board: what is paused, since when, by whom, why, how to roll back, what to
verify and when it should end; the incident history below. Pausing, recording the
verification and resuming all happen here (supervisors and admins only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.desk.changes import Changes
from app.desk.types import Pause
from db.vocab import PauseScope
from ui.dates import short_datetime
from ui.dialogs.awaiting import run_dialog
from ui.pauses.controller import PauseController
from ui.pauses.new_pause import NewPauseDialog, PauseChoices
from ui.queue.view import paint_empty_text
from ui.style import accent
from ui.table_model import Index, ReadOnlyTableModel


async def ask_and_pause(
    controller: PauseController, choices: PauseChoices, parent: QWidget, scope: PauseScope | None = None, key: str = ""
) -> None:
    """Ask what to pause and why (pre-filled with ``scope`` and ``key``), then pause it."""
    dialog = NewPauseDialog(choices, scope or PauseScope.WORKFLOW, key, parent)
    if await run_dialog(dialog) == QDialog.DialogCode.Accepted:
        task = controller.pause(dialog.request())
        if task is not None:
            await task
    dialog.deleteLater()


class PausesModel(ReadOnlyTableModel):
    COLUMNS = (
        "Paused",
        "Since",
        "By",
        "Why",
        "Rollback",
        "Verify before resuming",
        "Planned resume",
        "Verified",
        "Resumed",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pauses: list[Pause] = []

    def set_pauses(self, pauses: list[Pause]) -> None:
        self.beginResetModel()
        self.pauses = pauses
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.pauses)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        p = self.pauses[index.row()]
        verified = f"{p.verified_by} {short_datetime(p.verified_at)}" if p.verified_at else "Not yet"
        resumed = f"{p.resumed_by} {short_datetime(p.resumed_at)}" if p.resumed_at else ""
        by = p.owner if p.trigger == "manual" else f"{p.owner} (auto)"
        return (
            words.paused(p.scope, p.key, p.label),
            short_datetime(p.started_at),
            by,
            p.reason,
            p.rollback,
            p.verification,
            short_datetime(p.planned_resume_at),
            verified,
            resumed,
        )[index.column()]


class PausesTable(QTableView):
    """A pauses table that says what would be listed when nothing is."""

    def __init__(self, model: PausesModel, empty: str) -> None:
        super().__init__()
        self.setModel(model)
        self.empty = empty

    def empty_text(self) -> str:
        model = self.model()
        return self.empty if model is not None and model.rowCount() == 0 else ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        paint_empty_text(self, self.empty_text())


class PauseBoard(QDialog):
    def __init__(
        self,
        controller: PauseController,
        load_choices: Callable[[], Awaitable[PauseChoices]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Pauses")
        self.controller = controller
        self._load_choices = load_choices
        self.active = PausesModel(self)
        self.history = PausesModel(self)
        self.active_view = self._table(
            self.active, "Active pauses", "Nothing is paused — a pause you or a rule start appears here"
        )
        self.history_view = self._table(
            self.history, "Incident history", "No pauses yet — every pause, resumed or not, is kept here"
        )
        tabs = QTabWidget()
        tabs.addTab(self.active_view, "&Active")
        tabs.addTab(self.history_view, "&History")
        self.tabs = tabs
        note = QLabel(
            "While a pause is active nothing it covers leaves the desk: no message queued, no "
            "CRM handoff, no portal note. Review and ingestion go on; held approvals leave in "
            "their order once it is resumed. Resuming needs the verification recorded first."
        )
        note.setWordWrap(True)
        self.new_button = QPushButton("&New pause…  N")
        self.verify_button = QPushButton("Mark &verified…  V")
        self.resume_button = QPushButton("&Resume")
        self.new_button.clicked.connect(self.new_pause)
        self.verify_button.clicked.connect(self.verify_selected)
        self.resume_button.clicked.connect(self.resume_selected)
        QShortcut(QKeySequence("N"), self, self.new_pause)
        QShortcut(QKeySequence("V"), self, self.verify_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.new_button, self.verify_button, self.resume_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        if not controller.actor.can_supervise:
            for button in (self.new_button, self.verify_button, self.resume_button):
                button.setEnabled(False)
                button.setToolTip("Only supervisors and admins pause and resume.")
        controller.changed.connect(self._show_active)
        self._show_active(Changes(pauses=tuple(controller.active)))
        self.resize(1100, 480)

    @staticmethod
    def _table(model: PausesModel, name: str, empty: str) -> QTableView:
        view = PausesTable(model, empty)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column in (4, 5):  # long texts: a fair share, the whole text in the tooltip
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, 200)
        view.setWordWrap(False)
        view.setAccessibleName(name)
        return view

    async def load(self) -> None:
        await self.controller.refresh()
        self.history.set_pauses(await self.controller.runner.read(self.controller.read_history))

    def _show_active(self, changes: Changes) -> None:
        if changes.pauses is None:
            return
        pauses = list(changes.pauses)
        kept = self.selected()
        self.active.set_pauses(pauses)
        rows = [i for i, p in enumerate(pauses) if kept is not None and p.id == kept.id]
        self.active_view.selectRow(rows[0] if rows else 0)

    def selected(self) -> Pause | None:
        row = self.active_view.currentIndex().row()
        return self.active.pauses[row] if 0 <= row < len(self.active.pauses) else None

    # --- commands ---------------------------------------------------------------------------

    def new_pause(self, scope: PauseScope | None = None, key: str = "") -> None:
        if self.new_button.isEnabled():
            self.controller.runner.spawn(self._ask_and_pause(scope, key), "asking what to pause")

    async def _ask_and_pause(self, scope: PauseScope | None, key: str) -> None:
        await ask_and_pause(self.controller, await self._load_choices(), self, scope, key)

    def verify_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None and self.verify_button.isEnabled():
            self.controller.runner.spawn(self._ask_and_verify(chosen), "recording a verification")

    async def _ask_and_verify(self, chosen: Pause) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Verification done")
        dialog.setLabelText(f"To verify: {chosen.verification}\nWhat did you check, and what did you see?")
        if await run_dialog(dialog) == QDialog.DialogCode.Accepted:
            task = self.controller.verify(chosen.id, dialog.textValue())
            if task is not None:
                await task
        dialog.deleteLater()

    def resume_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None and self.resume_button.isEnabled():
            self.controller.runner.spawn(self._resume(chosen.id), "resuming")

    async def _resume(self, pause_id: int) -> None:
        task = self.controller.resume(pause_id)
        if task is not None and await task:
            self.history.set_pauses(await self.controller.runner.read(self.controller.read_history))
