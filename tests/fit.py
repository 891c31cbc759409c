"""Does a window fit a laptop screen? Used by the layout tests at 1280×720."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

LAPTOP = (1280, 720)


def outside(window: QWidget) -> list[str]:
    """Visible controls of ``window`` that lie (partly) outside it, described for the message.
    Controls inside a scroll area are judged by the scroll area, which is allowed to scroll."""
    frame = QRect(QPoint(0, 0), window.size())
    problems = []
    for child in window.findChildren(QWidget):
        if not child.isVisibleTo(window) or child.isWindow():
            continue
        if any(isinstance(a, QAbstractScrollArea) and a is not child for a in _ancestors(child, window)):
            continue
        rect = QRect(child.mapTo(window, QPoint(0, 0)), child.size())
        if not frame.contains(rect):
            name = child.accessibleName() or child.objectName() or type(child).__name__
            problems.append(f"{name} at {rect.getRect()} outside {frame.getRect()}")
    return problems


def _ancestors(widget: QWidget, stop: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None and parent is not stop:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def assert_fits(window: QWidget, width: int = LAPTOP[0], height: int = LAPTOP[1]) -> None:
    """``window`` (shown) is no larger than the screen and none of its controls lie outside it."""
    size = window.frameGeometry().size() if window.isWindow() else window.size()
    assert size.width() <= width and size.height() <= height, f"{size.width()}×{size.height()} > {width}×{height}"
    problems = outside(window)
    assert not problems, "\n".join(problems)


def show_on_laptop(qtbot: Any, window: QWidget) -> None:
    """Show ``window`` as a 1280×720 screen would: no larger than it, frame included."""
    window.show()
    qtbot.waitExposed(window)
    frame = window.frameGeometry().size() - window.size()
    window.resize(min(window.width(), LAPTOP[0] - frame.width()), min(window.height(), LAPTOP[1] - frame.height()))
    qtbot.waitUntil(
        lambda: window.frameGeometry().height() <= LAPTOP[1] and window.frameGeometry().width() <= LAPTOP[0]
    )
