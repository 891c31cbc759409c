"""Creating the QApplication with the desk's name, icon, style and colours.

The desk follows the system: Fusion (the same widgets on every OS) with a light or a dark
palette as the OS colour scheme says, changed at once when the OS switches.
``REVIEW_DESK_COLOR_SCHEME=light|dark`` overrides the OS (screenshots, tests). Qt 6 scales
for high-DPI screens by itself; the accents' style sheet (ui/style.py) uses no pixel font
sizes so text scales too.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from app import __version__
from ui.style import app_icon, refresh_accents

# The GUI thread shares the interpreter lock with the desk's worker threads (database, AI
# drafts). At Python's default 5 ms switch interval a busy pool of eight drafting threads
# kept the window from repainting for 50-90 ms at a time; at 1 ms it waits under 35 ms
# (bench/ai_drafts.py), for a cost in throughput too small to measure there.
GIL_SWITCH_INTERVAL_S = 0.001
SCHEME_ENV = "REVIEW_DESK_COLOR_SCHEME"

_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f2124",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#3a3d42",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.PlaceholderText: "#9a9da3",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#34373b",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Light: "#45484d",
    QPalette.ColorRole.Midlight: "#3b3e43",
    QPalette.ColorRole.Mid: "#55585e",
    QPalette.ColorRole.Dark: "#1a1b1e",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#3d7bd9",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#78a9ff",
    QPalette.ColorRole.LinkVisited: "#b48eff",
}
_DARK_DISABLED = {
    QPalette.ColorRole.WindowText: "#7d8086",
    QPalette.ColorRole.Text: "#7d8086",
    QPalette.ColorRole.ButtonText: "#7d8086",
    QPalette.ColorRole.Highlight: "#4a4d52",
}


def make_application(argv: list[str] | None = None) -> QApplication:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("Review Desk")
    app.setOrganizationName("ReviewDesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("review-desk")
    app.setWindowIcon(app_icon())
    app.setStyle(QStyleFactory.create("Fusion"))
    apply_color_scheme(app)
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))
    # The desk decides when to quit (after its tasks are cancelled and awaited), not Qt.
    app.setQuitOnLastWindowClosed(False)
    return app


def wants_dark() -> bool:
    """Dark when the environment says so, else when the OS colour scheme is dark."""
    chosen = os.environ.get(SCHEME_ENV, "").strip().lower()
    if chosen in ("light", "dark"):
        return chosen == "dark"
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette(dark: bool) -> QPalette:
    """Fusion's own light palette, or the desk's dark one."""
    light = QStyleFactory.create("Fusion").standardPalette()
    if not dark:
        return light
    chosen = QPalette(light)
    for role, colour in _DARK.items():
        chosen.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        chosen.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return chosen


def apply_color_scheme(app: QApplication) -> None:
    dark = wants_dark()
    app.setProperty("darkScheme", dark)
    app.setPalette(palette(dark))
    refresh_accents()  # per widget, never on the application (see ui/style.py)
