"""When the database does not open: what failed in plain words, and the ways on: try again,
correct the address (and password), or use this computer's database. The desk never gives up
on its own; it closes only when the person chooses Quit.

The dialog asks; the opening itself is ``attempt`` (run off the GUI thread by its owner), which
answers None once the database is open, or why it still is not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.database_address import masked, split_password, with_password
from app.database_failure import DatabaseFailure
from ui.style import accent
from ui.tasks import TaskRunner

Attempt = Callable[[str], Awaitable[DatabaseFailure | None]]


def _text(name: str, *, selectable: bool = False) -> QLabel:
    label = QLabel("")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RecoveryDialog(QDialog):
    def __init__(
        self,
        failure: DatabaseFailure,
        url: str,
        local_url: str,
        log_file: Path,
        attempt: Attempt,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Review Desk: the database did not open")
        self._url = url  # the address tried last, password included (memory only)
        self._local_url = local_url
        self._attempt = attempt
        self._runner = runner
        self._tries = 0
        self.headline = _text("What failed")
        bold = QFont(self.headline.font())
        bold.setBold(True)
        self.headline.setFont(bold)
        self.advice = _text("What to try")
        self.address = _text("Database address", selectable=True)
        self.detail = _text("What the database said", selectable=True)
        self.status = _text("Connection status")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no end known: it is waiting for the server
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Connecting")
        self.busy.hide()
        where_logged = _text("Where the details are")
        where_logged.setText(f"The details are also in {log_file}.")
        self.url_field = QLineEdit()
        self.url_field.setAccessibleName("Database URL")
        self.url_field.setPlaceholderText("postgresql://you@server/reviews")
        self.password_field = QLineEdit()
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_field.setAccessibleName("Database password")
        self.connect_button = QPushButton("&Connect")
        self.connect_button.clicked.connect(self._connect_edited)
        self.url_field.returnPressed.connect(self._connect_edited)
        self.password_field.returnPressed.connect(self._connect_edited)
        self.editor = QGroupBox("Address")
        form = QFormLayout(self.editor)
        form.addRow("&URL:", self.url_field)
        form.addRow("&Password:", self.password_field)
        form.addRow("", self.connect_button)
        self.editor.hide()

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        for widget in (self.headline, self.advice, self.address, self.detail, self.editor, where_logged):
            column.addWidget(widget)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.retry = QPushButton("&Retry")
        self.edit = QPushButton("&Edit address…")
        self.edit.setCheckable(True)
        self.local = QPushButton("Use this &computer's database")
        self.quit = QPushButton("&Quit")
        buttons = QDialogButtonBox()
        for button in (self.retry, self.edit, self.local):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.retry.clicked.connect(self._retry)
        self.local.clicked.connect(self._use_local)
        self.edit.toggled.connect(self._show_editor)
        self.retry.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.resize(640, 420)
        self.show_failure(failure)

    # --- what the person sees --------------------------------------------------------------

    def show_failure(self, failure: DatabaseFailure) -> None:
        self.headline.setText(failure.headline)
        self.advice.setText(failure.advice)
        self.address.setText(f"Address: {failure.address}")
        self.detail.setText(f"The database said: {failure.detail}")
        if self._tries:
            self.status.setText(f"Tried again at {datetime.now():%H:%M:%S}; the database is still not open.")
        self._connecting(False)

    def _connecting(self, on: bool) -> None:
        for button in (self.retry, self.edit, self.local, self.connect_button):
            button.setEnabled(not on)
        self.busy.setVisible(on)
        if on:
            self.status.setText(f"Connecting to {masked(self._url)}…")

    def _show_editor(self, shown: bool) -> None:
        self.editor.setVisible(shown)
        if not shown:
            return
        bare, password = split_password(self._url if self._url != self._local_url else "")
        self.url_field.setText(bare)
        self.password_field.clear()
        self.password_field.setPlaceholderText(
            "the password given before (type to change)" if password else "none (type one if the server asks)"
        )
        self.url_field.setFocus()

    # --- trying ---------------------------------------------------------------------------

    def _retry(self) -> None:
        self._try(self._url)

    def _use_local(self) -> None:
        self._try(self._local_url)

    def _connect_edited(self) -> None:
        typed = self.url_field.text().strip()
        if not typed:
            self.status.setText("Enter the database's address, or use this computer's database.")
            return
        bare, inline = split_password(typed)
        given = self.password_field.text() or inline or split_password(self._url)[1]
        self._try(with_password(bare, given))

    def _try(self, url: str) -> None:
        self._url = url
        self._tries += 1
        self._connecting(True)
        self._runner.spawn(self._open(url), "opening the database")

    async def _open(self, url: str) -> None:
        failure = await self._attempt(url)
        if not self.isVisible():  # the person quit meanwhile; the owner disposes what opened
            return
        if failure is None:
            self.accept()
        else:
            self.show_failure(failure)
