"""The first start on a laptop: where the reviews live (this computer, with or without demo
data, or the team's shared database), and optionally the AI key. Who is reviewing is asked
next, once the database is open (``IdentityDialog``). Everything here can be changed later in
Settings; nothing typed here is kept in a file except the database URL, and the key and the
database password go to the system keyring."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.style import accent


@dataclass(frozen=True)
class WelcomeChoice:
    database_url: str  # empty: SQLite on this computer
    database_password: str  # empty: none, or the one in the URL
    demo: bool
    ai_key: str  # empty: none now (offline drafts)


class WelcomeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Welcome to Review Desk")
        intro = QLabel(
            "Review Desk shows what the lead automation wants to send, so you can approve, "
            "edit or reject it first. Where should your reviews live?"
        )
        intro.setWordWrap(True)
        self.local = QRadioButton("On this &computer (a private database in your data folder)")
        self.demo = QCheckBox("Start with &demo data, to try the desk out")
        self.demo.setChecked(True)
        self.shared = QRadioButton("In my team's &shared database (PostgreSQL or MySQL/MariaDB)")
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql+psycopg://you@server/reviews")
        self.url.setAccessibleName("Shared database URL")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("the database password, if it needs one (kept in the system keyring)")
        self.password.setAccessibleName("Shared database password")
        group = QButtonGroup(self)
        for button in (self.local, self.shared):
            group.addButton(button)
        self.local.setChecked(True)
        self.ai_key = QLineEdit()
        self.ai_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.ai_key.setPlaceholderText("optional: an OpenAI API key (kept in the system keyring)")
        self.ai_key.setAccessibleName("AI key")
        ai_note = QLabel(
            "Without a key, drafts are written by offline rules. A local AI server (Ollama, "
            "LM Studio…) is set up later in Settings."
        )
        ai_note.setWordWrap(True)
        self.problem = QLabel("")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Continue")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        key_label = QLabel("AI &key:")
        key_label.setBuddy(self.ai_key)
        layout = QVBoxLayout(self)
        for widget in (
            intro,
            self.local,
            self.demo,
            self.shared,
            self.url,
            self.password,
            key_label,
            self.ai_key,
            ai_note,
            self.problem,
            buttons,
        ):
            layout.addWidget(widget)
        self.shared.toggled.connect(self._update)
        self.setMinimumWidth(520)
        self._update()

    def _update(self) -> None:
        shared = self.shared.isChecked()
        self.url.setEnabled(shared)
        self.password.setEnabled(shared)
        self.demo.setEnabled(not shared)
        if shared:
            self.url.setFocus()

    def _accept(self) -> None:
        if self.shared.isChecked() and "://" not in self.url.text():
            self.problem.setText("Enter the shared database's URL, e.g. postgresql+psycopg://you@server/reviews")
            return
        self.accept()

    def choice(self) -> WelcomeChoice:
        shared = self.shared.isChecked()
        return WelcomeChoice(
            self.url.text().strip() if shared else "",
            self.password.text() if shared else "",
            self.demo.isChecked() and not shared,
            self.ai_key.text().strip(),
        )
