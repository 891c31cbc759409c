"""A decision that needs a few words of note: rejecting (with a reason from the list) and
escalating (the note is what the supervisor reads). Ctrl+Enter submits, as everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QWidget,
)

from app import words
from app.services.review import REJECT_REASONS
from ui.style import accent


class NoteDialog(QDialog):
    def __init__(self, title: str, ok_text: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle(title)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(f"{placeholder} (required)")
        self.note.setPlaceholderText(f"{placeholder} (required)")
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        self.form.addRow("&Note:", self.note)
        self.form.addRow(self.buttons)
        self.note.textChanged.connect(self._update)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._submit)
        self._update()
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note.toPlainText().strip()))

    def _submit(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def text(self) -> str:
        return self.note.toPlainText().strip()


class RejectDialog(NoteDialog):
    """Rejecting needs a reason from the list and a few words of note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Reject", "Reject", "What is wrong with it?", parent)
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason for rejecting")
        for code in REJECT_REASONS:
            self.reason.addItem(words.reason(code), code)
        self.form.insertRow(0, "&Reason:", self.reason)
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def choice(self) -> tuple[str, str]:
        return str(self.reason.currentData()), self.text()


class EscalateDialog(NoteDialog):
    """Escalating says what the supervisor should look at; they see the note on the item."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Escalate to a supervisor", "Escalate", "What should the supervisor look at?", parent)
