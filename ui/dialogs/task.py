"""What working an owner task asks for: an outcome (done, or one call back) with a note, how
long to snooze it (never past what the client's rule allows), and whom to give it to.
Ctrl+Enter submits, as everywhere."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from app import words
from app.desk.tasks import duration
from ui.style import accent

# What a snooze offers, each if the client's rule allows it; the longest allowed is offered too.
SNOOZE_SPANS = tuple(timedelta(minutes=m) for m in (5, 10, 15, 30, 60, 120, 240, 480, 24 * 60))


def plain(text: str) -> QLabel:
    """A lead's name comes from a provider's payload: never read as rich text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class TaskDialog(QDialog):
    """A choice, a note and OK / Cancel; OK is on only while ``valid`` says so."""

    def __init__(
        self, title: str, ok_text: str, choice_name: str, parent: QWidget | None = None, with_note: bool = True
    ) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle(title)
        self.choice_box = QComboBox()
        self.choice_box.setAccessibleName(choice_name)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 4 + 12)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        self.form.addRow(f"&{choice_name}:", self.choice_box)
        if with_note:
            self.form.addRow("&Note:", self.note)
        self.form.addRow(self.buttons)
        self.note.textChanged.connect(self._update)
        self.choice_box.currentIndexChanged.connect(self._update)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._submit)
        self.choice_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def valid(self) -> bool:
        return self.choice_box.currentIndex() >= 0

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.valid())

    def _submit(self) -> None:
        if self.valid():
            self.accept()

    def text(self) -> str:
        return self.note.toPlainText().strip()


class OutcomeDialog(TaskDialog):
    """How it went: an outcome from the list; "Other" needs a note saying what happened."""

    def __init__(
        self, title: str, ok_text: str, choices: tuple[str, ...], about: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, ok_text, "Outcome", parent)
        self.form.insertRow(0, plain(about))
        for code in choices:
            self.choice_box.addItem(words.outcome(code), code)
        self._update()

    def valid(self) -> bool:
        return self.choice() != "other" or bool(self.text())

    def _update(self) -> None:
        other = self.choice() == "other"
        self.note.setPlaceholderText("What happened? (required with Other)" if other else "Anything to add (optional)")
        super()._update()

    def choice(self) -> str:
        return str(self.choice_box.currentData())


class SnoozeDialog(TaskDialog):
    """How long to snooze: the spans within ``limit`` (the client's window or a day)."""

    def __init__(self, limit: timedelta, why: str, about: str, parent: QWidget | None = None) -> None:
        super().__init__("Snooze the task", "Snooze", "For", parent)
        self.form.insertRow(0, plain(about))
        self.form.insertRow(1, plain(f"At most {duration(limit)}: {why}."))
        spans = [span for span in SNOOZE_SPANS if span < limit] + [limit]
        for span in spans:
            self.choice_box.addItem(duration(span), span)
        self.choice_box.setCurrentIndex(min(2, len(spans) - 1))
        self.note.setPlaceholderText("Why wait? (optional)")
        self._update()

    def span(self) -> timedelta:
        return self.choice_box.currentData()


class ReassignDialog(TaskDialog):
    """Whom to give the task (or the selected items) to: the active users, by name; with
    ``nobody`` (its label) a first choice gives it back to no one in particular."""

    def __init__(
        self,
        users: list[tuple[str, str]],
        current: str,
        about: str,
        parent: QWidget | None = None,
        title: str = "Reassign the task",
        nobody: str = "",
    ) -> None:
        super().__init__(title, "Reassign" if not nobody else "Assign", "To", parent, with_note=False)
        self.form.insertRow(0, plain(about))
        if nobody:
            self.choice_box.addItem(nobody, "")
        for login, name in users:
            self.choice_box.addItem(name if name == login else f"{name} ({login})", login)
        people = [i for i in range(self.choice_box.count()) if self.choice_box.itemData(i) not in ("", current)]
        if people:  # someone else by default: the usual reason to open the dialog
            self.choice_box.setCurrentIndex(people[0])
        self._update()

    def login(self) -> str:
        return str(self.choice_box.currentData())
