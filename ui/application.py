"""Creating the QApplication with the desk's name, icon and stylesheet."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from resources import resource


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Review Desk")
    app.setOrganizationName("ReviewDesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("review-desk")
    app.setWindowIcon(QIcon(str(resource("icons", "review-desk.svg"))))
    app.setStyleSheet(resource("styles", "desk.qss").read_text(encoding="utf-8"))
    # The desk decides when to quit (after its tasks are cancelled and awaited), not Qt.
    app.setQuitOnLastWindowClosed(False)
    return app
