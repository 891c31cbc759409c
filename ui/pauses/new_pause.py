"""Asking a supervisor for everything a pause must say: what, why, how to roll back, what to
verify before resuming, and when it should end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app import words
from app.desk.types import Choice
from app.services.pauses import PauseRequest
from db.vocab import PauseScope, Workflow
from ui.dates import datetime_format
from ui.style import accent

SCOPE_LABELS = {
    PauseScope.WORKFLOW: "One workflow",
    PauseScope.CLIENT: "One client",
    PauseScope.PROVIDER: "One provider",
    PauseScope.INTEGRATION: "One integration account",
    PauseScope.ALL: "Everything",
}


@dataclass
class PauseChoices:
    """What can be paused, for the dialog's lists."""

    clients: list[Choice] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    accounts: list[Choice] = field(default_factory=list)

    def keys(self, scope: PauseScope) -> list[Choice]:
        return {
            PauseScope.WORKFLOW: [Choice(w.value, words.workflow(w.value)) for w in Workflow],
            PauseScope.CLIENT: [Choice(str(c.value), c.label) for c in self.clients],
            PauseScope.PROVIDER: [Choice(p, words.source(p)) for p in self.providers],
            PauseScope.INTEGRATION: [Choice(str(a.value), a.label) for a in self.accounts],
            PauseScope.ALL: [Choice("", "every workflow, client and provider")],
        }[scope]


class NewPauseDialog(QDialog):
    def __init__(
        self,
        choices: PauseChoices,
        scope: PauseScope = PauseScope.WORKFLOW,
        key: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Pause an automation")
        self.choices = choices
        self.scope = QComboBox()
        for value, label in SCOPE_LABELS.items():
            self.scope.addItem(label, value)
        self.scope.setAccessibleName("What to pause")
        self.key = QComboBox()
        self.key.setAccessibleName("Which one")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText('What is uncertain, e.g. "HubSpot token rejected since 09:40"')
        self.rollback = QLineEdit()
        self.rollback.setPlaceholderText('How to undo what already went out, or "nothing went out"')
        self.verification = QPlainTextEdit()
        self.verification.setPlaceholderText('What must be checked before resuming, e.g. "a test push succeeds"')
        self.verification.setTabChangesFocus(True)
        self.verification.setFixedHeight(64)
        self.has_resume = QCheckBox("Planned resume:")
        self.planned = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.planned.setCalendarPopup(True)
        self.planned.setDisplayFormat(datetime_format())
        self.planned.setAccessibleName("Planned resume")
        self.planned.setEnabled(False)
        self.has_resume.toggled.connect(self.planned.setEnabled)
        self.problem = QLabel("")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Pause")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Pause:", self.scope)
        form.addRow("&Which:", self.key)
        form.addRow("&Reason:", self.reason)
        form.addRow("R&ollback:", self.rollback)
        form.addRow("&Verify before resuming:", self.verification)
        form.addRow(self.has_resume, self.planned)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.setMinimumWidth(520)
        self.scope.currentIndexChanged.connect(lambda _: self._fill_keys())
        self.scope.setCurrentIndex(max(0, self.scope.findData(scope)))
        self._fill_keys()
        self.key.setCurrentIndex(max(0, self.key.findData(key)))
        self.reason.setFocus()

    def _fill_keys(self) -> None:
        self.key.clear()
        for choice in self.choices.keys(PauseScope(self.scope.currentData())):
            self.key.addItem(choice.label, choice.value)

    def request(self) -> PauseRequest:
        planned = None
        if self.has_resume.isChecked():
            planned = self.planned.dateTime().toPython().astimezone(UTC)
        return PauseRequest(
            PauseScope(self.scope.currentData()),
            str(self.key.currentData() or ""),
            self.reason.text(),
            self.rollback.text(),
            self.verification.toPlainText(),
            planned,
        )

    def _accept(self) -> None:
        missing = [
            name
            for name, text in (
                ("a reason", self.reason.text()),
                ("a rollback path", self.rollback.text()),
                ("a verification step", self.verification.toPlainText()),
            )
            if not text.strip()
        ]
        if missing:
            self.problem.setText("A pause needs " + ", ".join(missing) + ": they explain it later.")
            return
        if self.key.currentData() is None:
            self.problem.setText("Choose which one to pause.")
            return
        self.accept()
