"""The supervisor's editor for approved snippets: the material AI drafts may use.

A list on top (client, service, title, version), the selected snippet's form below. Every
read and write runs on the database thread; what the service refuses is shown, not raised.
Reviewers may open it to read what drafts are grounded on; the service refuses their writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.desk import snippets as ops
from app.desk.types import Database, SnippetRow
from app.identity import Actor
from app.services.errors import ActionRefused
from app.services.snippets import BODY_MAX, SERVICE_MAX, TITLE_MAX, SnippetText
from ui.style import accent
from ui.table_model import Index, ReadOnlyTableModel
from ui.tasks import TaskRunner


class SnippetsModel(ReadOnlyTableModel):
    COLUMNS = ("Client", "Service", "Title", "Version", "Approved by")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SnippetRow] = []

    def set_rows(self, rows: list[SnippetRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.client, row.service or "any", row.title, f"v{row.version}", row.approved_by)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.body
        return None


class SnippetsDialog(QDialog):
    def __init__(self, database: Database, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Approved snippets")
        self.database, self.actor, self.runner = database, actor, runner
        self.editing: int | None = None  # the snippet in the form; None: a new one
        self.model = SnippetsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Snippets")
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self._show(current.row()))
        self.client = QComboBox()
        self.client.setAccessibleName("Client")
        self.service = QLineEdit()
        self.service.setMaxLength(SERVICE_MAX)
        self.service.setPlaceholderText("empty: any service")
        self.title = QLineEdit()
        self.title.setMaxLength(TITLE_MAX)
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(
            'A fact or sentence drafts may use for this client, e.g. "Same-day visits are available on weekdays."'
        )
        self.body.setTabChangesFocus(True)
        self.body.setAccessibleName("Snippet text")
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Snippet editor status")
        self.new_button = QPushButton("&New")
        self.save_button = QPushButton("&Save  Ctrl+S")
        self.retire_button = QPushButton("&Retire")
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.retire_button.clicked.connect(self.retire)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retire_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Client:", self.client)
        form.addRow("Ser&vice:", self.service)
        form.addRow("&Title:", self.title)
        form.addRow("Te&xt:", self.body)
        layout = QVBoxLayout(self)
        note = QLabel(
            "AI drafts may use only these snippets and the approved templates. Each "
            "change is a new version; drafts keep naming the version they used."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        if not actor.can_supervise:
            self.status.setText("Only supervisors and admins change snippets; you can read them.")
            for widget in (self.save_button, self.retire_button, self.new_button):
                widget.setEnabled(False)
        self.resize(760, 560)
        self.start_new()

    # --- loading ------------------------------------------------------------------------

    async def load(self, select_id: int | None = None) -> None:
        rows, choices = await self.runner.read(ops.snippets_and_clients, self.database)
        current = self.client.currentData()
        self.client.clear()
        self.client.addItem("All clients", None)
        for choice in choices:
            self.client.addItem(choice.label, choice.value)
        self.client.setCurrentIndex(max(0, self.client.findData(current)))
        self.model.set_rows(rows)
        wanted = select_id if select_id is not None else self.editing
        for number, row in enumerate(rows):
            if row.id == wanted:
                self.table.selectRow(number)
                break

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.model.rows):
            return
        snippet = self.model.rows[row]
        self.editing = snippet.id
        self.client.setCurrentIndex(max(0, self.client.findData(snippet.client_id)))
        self.service.setText(snippet.service)
        self.title.setText(snippet.title)
        self.body.setPlainText(snippet.body)
        self.retire_button.setEnabled(self.actor.can_supervise)

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.service.clear()
        self.title.clear()
        self.body.clear()
        self.retire_button.setEnabled(False)
        self.title.setFocus()

    # --- writing ------------------------------------------------------------------------

    def text(self) -> SnippetText:
        return SnippetText(self.client.currentData(), self.service.text(), self.title.text(), self.body.toPlainText())

    def save(self) -> None:
        if len(self.body.toPlainText()) > BODY_MAX:
            self.status.setText(f"The text holds at most {BODY_MAX} characters.")
            return
        editing, text = self.editing, self.text()
        self.runner.spawn(
            self._write(lambda: ops.save(self.database, self.actor, editing, text), "Saved."), "saving a snippet"
        )

    def retire(self) -> None:
        if self.editing is None:
            return
        retiring = self.editing
        self.runner.spawn(
            self._write(
                lambda: ops.retire(self.database, self.actor, retiring), "Retired: new drafts no longer use it."
            ),
            "retiring a snippet",
        )

    async def _write(self, call: Callable[[], int | None], done: str) -> None:
        """Run a service call; a saved snippet stays selected, a retired one leaves the list."""
        self.status.setText("Saving…")
        try:
            kept = await self.runner.db(call)
        except ActionRefused as refusal:
            self.status.setText(str(refusal))
            return
        self.status.setText(done)
        if kept is None:
            self.start_new()
        await self.load(kept)
