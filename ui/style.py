"""The desk's accents (``resources/styles``): set on the widgets that use them, never on the
application.

A style sheet on the application sends every widget's painting through Qt's style sheet
engine, the queue's hundreds of cells included: measured on bench/review_queue.py's desk, a
repaint of the queue took 14 ms with the sheet on the application and 6 ms without. So each
widget with accents (the notice bar and the item note, the detail pane, the sidebar, the
dialogs) calls ``accent`` on itself, and the queue stays plain Fusion; it frames its own
keyboard focus (ui/queue/view.py).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from resources import resource

ACCENTED = "deskAccents"  # a widget property: this widget carries the desk's sheet


@cache
def style_sheet(dark: bool) -> str:
    """The desk's accents; in dark mode the coloured boxes get their dark variants."""
    sheets = ["desk.qss", "dark.qss"] if dark else ["desk.qss"]
    return "\n".join(resource("styles", name).read_text(encoding="utf-8") for name in sheets)


def _dark() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property("darkScheme"))


def accent(widget: QWidget) -> None:
    """Give ``widget`` and what it holds the desk's accents, in the current colour scheme."""
    widget.setProperty(ACCENTED, True)
    widget.setStyleSheet(style_sheet(_dark()))


def refresh_accents() -> None:
    """The colour scheme changed: every accented widget takes the matching sheet."""
    sheet = style_sheet(_dark())
    for widget in QApplication.allWidgets():
        if widget.property(ACCENTED):
            widget.setStyleSheet(sheet)


def app_icon() -> QIcon:
    """The desk's icon: the window's, and the tray's."""
    return QIcon(str(resource("icons", "review-desk.svg")))
