"""Rejecting needs a reason from the list and a few words of note."""

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

from app.services.review import REJECT_REASONS


class RejectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reject")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason for rejecting")
        for code, label in REJECT_REASONS.items():
            self.reason.addItem(label, code)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Why it is rejected (required)")
        self.note.setPlaceholderText("What is wrong with it? (required)")
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reject")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Reason:", self.reason)
        form.addRow("&Note:", self.note)
        form.addRow(self.buttons)
        self.note.textChanged.connect(self._update)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # as everywhere on the desk: Ctrl+Enter submits
            QShortcut(QKeySequence(keys), self, activated=self._submit)
        self._update()
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note.toPlainText().strip()))

    def _submit(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def choice(self) -> tuple[str, str]:
        return str(self.reason.currentData()), self.note.toPlainText().strip()
