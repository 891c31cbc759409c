"""About Review Desk: the version, the database this desk works on and where its log is, as
selectable plain text (what a support request needs, ready to copy)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app import __version__
from app.paths import AppPaths
from ui.style import accent


def _selectable(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class AboutDialog(QDialog):
    def __init__(self, database_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        accent(self)
        self.setWindowTitle("About Review Desk")
        self.version = _selectable(__version__, "Version")
        self.database = _selectable(database_label, "Database")
        self.log_folder = _selectable(str(AppPaths.from_environment().log_dir), "Log folder")
        intro = QLabel("Review Desk: approve, edit or reject what the automation wants to send.")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Version:", self.version)
        form.addRow("Database:", self.database)
        form.addRow("Log folder:", self.log_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
