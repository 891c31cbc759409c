"""Asking the AI for another version of the draft, with an instruction."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from ui.style import accent

# Offered in the list; anything typed is sent as it is.
SUGGESTIONS = ("Shorter", "Friendlier", "More formal", "Mention the next available slot", "Leave out the service name")


class RegenerateDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("New draft")
        self.instruction = QComboBox()
        self.instruction.setEditable(True)
        self.instruction.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.instruction.addItems(SUGGESTIONS)
        self.instruction.setCurrentText("")
        self.instruction.lineEdit().setPlaceholderText('e.g. "shorter", "mention the Tuesday slot"')
        self.instruction.lineEdit().setMaxLength(500)
        self.instruction.setAccessibleName("What should change in the new draft")
        note = QLabel(
            "The AI revises the text in the editor (your edits included) using only the "
            "client's approved material. The current draft stays under Versions."
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Draft again")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Change:", self.instruction)
        form.addRow(note)
        form.addRow(self.buttons)
        self.setMinimumWidth(460)
        self.instruction.setFocus(Qt.FocusReason.OtherFocusReason)

    def choice(self) -> str:
        return self.instruction.currentText().strip()
