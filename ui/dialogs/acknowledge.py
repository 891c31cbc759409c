"""Approving an item with high-risk flags: each flag is shown with its evidence and ticked on
its own, and a short note says why it is fine to send. Nothing is approved by one stray key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import words
from app.desk.types import FlagView
from app.services.approval_rules import Acknowledgement
from ui.style import accent


class AcknowledgeDialog(QDialog):
    def __init__(self, lead: str, flags: list[FlagView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Approve despite high-risk flags")
        intro = QLabel(
            f"Approving the draft for {lead} sends it despite these flags. Tick each one "
            "you have checked, and say why it is fine to send."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.boxes: list[tuple[str, QCheckBox]] = []  # one per flag (a code can have several)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        for row, flag in enumerate(flags):
            # The flag's name on the box; its reason and evidence beside it, wrapped, so a long
            # reason never widens the dialog past a laptop's screen.
            box = QCheckBox(words.flag(flag.code))
            box.setAccessibleName(f"I checked the {words.flag(flag.code)} flag")
            box.toggled.connect(self._update)
            evidence = f" — “{flag.evidence[:120]}”" if flag.evidence else ""
            why = QLabel(f"{flag.reason}{evidence}")
            why.setTextFormat(Qt.TextFormat.PlainText)
            why.setWordWrap(True)
            why.setBuddy(box)
            box.setAccessibleDescription(why.text())  # a screen reader reads the reason with the box
            self.boxes.append((flag.code, box))
            grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(why, row, 1)
        layout.addLayout(grid)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Why it is fine to send (required)")
        self.note.setPlaceholderText("Why is it fine to send? (required, kept in the audit log)")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.note.textChanged.connect(self._update)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Approve")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._submit)
        self.setMinimumWidth(560)
        self.setMaximumWidth(900)
        self._update()
        (self.boxes[0][1] if self.boxes else self.note).setFocus(Qt.FocusReason.OtherFocusReason)

    def _update(self) -> None:
        ready = all(b.isChecked() for _, b in self.boxes) and bool(self.note.toPlainText().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def _submit(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def choice(self) -> Acknowledgement:
        return Acknowledgement(frozenset(c for c, b in self.boxes if b.isChecked()), self.note.toPlainText().strip())
