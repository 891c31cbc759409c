"""First run on a personal (SQLite) desk: who is reviewing here?

Pick an existing person or add yourself. The role can be chosen only while the desk has no
admin yet (the person setting it up); after that, new people join as reviewers and an admin
changes roles. The suggested login (the computer's account) fills the login only for someone
new: picking an existing person leaves it empty, so it never looks like a second account.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.desk.types import UserRow
from db.vocab import Role
from ui.style import accent

NEW = "__new__"


class IdentityDialog(QDialog):
    def __init__(self, users: list[UserRow], suggested: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("Who is reviewing?")
        has_admin = any(u.role == Role.ADMIN for u in users)
        self.who = QComboBox()
        self.who.setAccessibleName("Reviewer")
        for user in users:
            self.who.addItem(f"{user.display_name} ({user.login}, {user.role})", user.login)
        self.who.addItem("Someone new…", NEW)
        self.who.setCurrentIndex(self.who.count() - 1)
        self._typed = suggested  # what the login holds for someone new (kept while another is picked)
        self.login = QLineEdit()
        self.login.setAccessibleName("New reviewer's login")
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for role in (Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER) if not has_admin else (Role.REVIEWER,):
            self.role.addItem(role.value.title(), role.value)
        note = QLabel(
            "You set up this desk, so you can choose your role."
            if not has_admin
            else "New people join as reviewers; an admin can change roles."
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        form = QFormLayout(self)
        form.addRow("&Reviewer:", self.who)
        form.addRow("&Login:", self.login)
        form.addRow("R&ole:", self.role)
        form.addRow(note)
        form.addRow(self.buttons)
        self.who.currentIndexChanged.connect(self._on_who)
        self.login.textChanged.connect(self._update)
        self._on_who()

    def _on_who(self) -> None:
        """Someone new gets the suggested login (or what they typed); an existing person none."""
        new = self.who.currentData() == NEW
        if new:
            self.login.setText(self._typed)
        elif self.login.isEnabled():  # leaving "someone new": what was typed waits for a return
            self._typed = self.login.text()
            self.login.clear()
        self.login.setPlaceholderText("" if new else "Only for someone new")
        self.login.setEnabled(new)
        self.role.setEnabled(new)
        self._update()

    def _update(self) -> None:
        new = self.who.currentData() == NEW
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not new or bool(self.login.text().strip()))

    def choice(self) -> tuple[str, Role | None]:
        """(login, role for a new person or None for an existing one)."""
        if self.who.currentData() == NEW:
            return self.login.text().strip()[:120], Role(self.role.currentData())
        return str(self.who.currentData()), None
