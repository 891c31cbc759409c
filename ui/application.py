"""Creating the QApplication with the desk's name, icon and stylesheet."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__
from resources import resource

# The GUI thread shares the interpreter lock with the desk's worker threads (database, AI
# drafts). At Python's default 5 ms switch interval a busy pool of eight drafting threads
# kept the window from repainting for 50-90 ms at a time; at 1 ms it waits under 35 ms
# (bench/ai_drafts.py), for a cost in throughput too small to measure there.
GIL_SWITCH_INTERVAL_S = 0.001


def make_application(argv: list[str] | None = None) -> QApplication:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
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
