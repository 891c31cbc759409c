"""Every control a keyboard can reach has a name a screen reader says: its accessible name,
its own visible text (buttons, check boxes, tabs), or a label naming it as its buddy."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from db.engine import Database
from tests.desk_fixtures import DeskFactory
from tests.test_layout_fit import DIALOGS

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QTabBar,
)


def _named(widget: QWidget, buddies: set[int]) -> bool:
    if widget.accessibleName().strip() or id(widget) in buddies:
        return True
    if isinstance(widget, QAbstractButton):
        return bool(widget.text().replace("&", "").strip())
    if isinstance(widget, QTabBar):
        return all(widget.tabText(i).strip() for i in range(widget.count()))
    # A combo's line edit and a spin box's are named by their owner.
    owner = widget.parentWidget()
    return isinstance(widget, QLineEdit) and isinstance(owner, QComboBox | QAbstractSpinBox) and _named(owner, buddies)


def unnamed(window: QWidget) -> list[str]:
    """The focusable controls of ``window`` with no name, described for the failure message."""
    children = window.findChildren(QWidget)
    buddies = {id(label.buddy()) for label in children if isinstance(label, QLabel) and label.buddy() is not None}
    found = []
    for widget in children:
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(window):
            continue
        if widget.focusPolicy().value == 0:  # Qt.NoFocus: not reachable from the keyboard
            continue
        if not _named(widget, buddies):
            parents = []
            parent = widget.parentWidget()
            while parent is not None and parent is not window:
                parents.append(parent.objectName() or type(parent).__name__)
                parent = parent.parentWidget()
            found.append(f"{type(widget).__name__} {widget.objectName()!r} in {' < '.join(parents)}")
    return found


def test_every_control_of_the_main_window_has_a_name(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    window = make_desk(sqlite_database).window
    assert not unnamed(window), "\n".join(unnamed(window))


def test_every_control_of_every_dialog_has_a_name(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    problems = []
    for make in DIALOGS.values():
        dialog: QDialog = make(desk)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems += [f"{type(dialog).__name__}: {p}" for p in unnamed(dialog)]
        dialog.close()
        dialog.deleteLater()
    assert not problems, "\n".join(problems)


def test_the_walk_finds_a_control_without_a_name(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QFormLayout(dialog)
    layout.addRow("&Reason:", QLineEdit())  # named by its label (the buddy)
    layout.addRow(QPushButton("&Save"))  # by its text
    nameless = QLineEdit()
    nameless.setObjectName("nameless")
    layout.addRow(nameless)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert [p.split(" in ")[0] for p in unnamed(dialog)] == ["QLineEdit 'nameless'"]
    nameless.setAccessibleName("Note")
    assert unnamed(dialog) == []


def test_the_queue_frames_itself_in_the_highlight_colour_while_it_has_the_keyboard_focus(qtbot: Any) -> None:
    from PySide6.QtGui import QPalette

    from ui.queue.model import QueueTableModel
    from ui.queue.view import QueueView

    view = QueueView(QueueTableModel())
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    edge = view.viewport().rect().center().x(), 1

    def edge_colour() -> Any:
        return view.viewport().grab().toImage().pixelColor(*edge)

    view.clearFocus()
    qtbot.waitUntil(lambda: not view.hasFocus())
    assert edge_colour() != highlight
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.waitUntil(lambda: edge_colour() == highlight)
