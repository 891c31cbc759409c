"""A desktop application's habits: every shortcut is in a menu, menus print their shortcuts,
buttons print theirs, About says where things are, and rows have a context menu."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QToolButton

from app import __version__
from app.paths import AppPaths
from db.engine import Database
from tests.desk_fixtures import DeskFactory
from ui.dialogs.about import AboutDialog
from ui.pauses.board import PauseBoard
from ui.queue.model import COLUMNS
from ui.queue.view import DEFAULT_COLUMNS


def menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        found.append(action)
        if action.menu() is not None:
            found += menu_actions(action.menu())
    return found


def test_every_action_with_a_shortcut_is_in_a_menu_that_prints_it(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    window = make_desk(sqlite_database).window
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Item", "Tasks", "Supervisor", "Help"]
    listed = {id(a) for top in window.menuBar().actions() for a in menu_actions(top.menu())}
    with_keys = [a for a in window.findChildren(QAction) if a.shortcuts() and a.parent() is window]
    assert len(with_keys) > 20
    missing = [a.text() for a in with_keys if id(a) not in listed]
    assert not missing, missing
    for action in with_keys:
        # The menu prints the shortcut in its own column: the text must not repeat it.
        assert "  " not in action.text(), action.text()


def test_every_toolbar_button_shows_its_shortcut(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database) -> None:
    window = make_desk(sqlite_database).window
    buttons = [b for b in window.findChildren(QToolButton) if b.defaultAction() and b.defaultAction().shortcuts()]
    assert buttons
    for button in buttons:
        action = button.defaultAction()
        keys = [k.toString(k.SequenceFormat.NativeText) for k in action.shortcuts()]
        assert any(button.text().endswith("  " + k) for k in keys) or "Ctrl+Enter" in button.text(), button.text()


def test_about_shows_the_version_the_database_and_the_log_folder(qtbot: Any) -> None:
    dialog = AboutDialog("sqlite:////data/review-desk.sqlite3")
    qtbot.addWidget(dialog)
    assert dialog.version.text() == __version__
    assert dialog.database.text() == "sqlite:////data/review-desk.sqlite3"
    assert dialog.log_folder.text() == str(AppPaths.from_environment().log_dir)
    assert dialog.log_folder.textInteractionFlags() & dialog.log_folder.textInteractionFlags().TextSelectableByMouse


def test_help_about_opens_the_dialog(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    desk.window.menus.about.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(AboutDialog)))
    dialog = next(d for d in desk.window.findChildren(AboutDialog) if d.isVisible())
    assert dialog.database.text() == sqlite_database.display_url
    dialog.reject()
    qtbot.waitUntil(lambda: not desk.runner.busy)


def test_a_rows_context_menu_offers_the_review_actions_and_copies_the_lead(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    window, a = desk.window, desk.window.actions_
    queue = window.queue
    second = queue.visualRect(desk.model.index(1, 0)).center()
    assert window.menus.aim_row_menu(second)  # what a right click does before the menu pops up
    assert queue.contextMenuPolicy() == queue.contextMenuPolicy().CustomContextMenu
    offered = window.menus.row_menu.actions()
    for action in (a.approve, a.reject, a.escalate, a.skip, a.bulk, window.menus.copy_lead):
        assert action in offered, action.text()
    qtbot.waitUntil(lambda: queue.currentIndex().row() == 1)  # the row clicked is the one acted on
    window.menus.copy_lead.trigger()
    assert QGuiApplication.clipboard().text() == desk.model.row_at(1).lead_label
    assert not window.menus.aim_row_menu(QPoint(-1, -1))  # not on a row: no menu


def test_the_reviewers_column_choice_is_kept_through_column_state(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    queue = make_desk(sqlite_database).window.queue
    assert queue.column_state() == ",".join(DEFAULT_COLUMNS)
    held_by = COLUMNS.index("Held by")
    with qtbot.waitSignal(queue.columns_changed) as changed:
        queue.column_actions[held_by].trigger()  # the header's menu and View > Queue columns
    assert not queue.isColumnHidden(held_by)
    assert changed.args == [queue.column_state()] and "Held by" in queue.column_state()
    saved = queue.column_state()
    queue.restore_column_state("Priority,Lead")
    assert [c for c in range(len(COLUMNS)) if not queue.isColumnHidden(c)] == [0, COLUMNS.index("Lead")]
    queue.restore_column_state(saved)
    assert queue.column_state() == saved
    queue.restore_column_state("nonsense")
    assert queue.column_state() == ",".join(DEFAULT_COLUMNS)
    assert not queue.horizontalScrollBar().isVisible()


def test_the_last_column_cannot_be_hidden(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database) -> None:
    queue = make_desk(sqlite_database).window.queue
    queue.restore_column_state("Lead")
    lead = queue.column_actions[COLUMNS.index("Lead")]
    assert lead.isChecked() and not lead.isEnabled()


def test_an_empty_view_says_what_would_appear(qtbot: Any, make_desk: DeskFactory, sqlite_database: Database) -> None:
    desk = make_desk(sqlite_database)
    window = desk.window
    assert window.queue.empty_text() == ""  # rows: nothing painted over them
    escalated = next(
        r
        for r in range(window.views_model.rowCount())
        if "Escalated" in window.views_model.data(window.views_model.index(r))
    )
    window.sidebar.setCurrentIndex(window.views_model.index(escalated))
    qtbot.waitUntil(lambda: desk.model.rowCount() == 0 and not desk.runner.busy)
    assert window.queue.empty_text().startswith("Nothing escalated")


def test_an_empty_pause_board_says_what_would_be_listed(
    qtbot: Any, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    board = PauseBoard(desk.pauses, desk.pause_commands.choices, desk.window)
    qtbot.addWidget(board)
    assert board.active.rowCount() == 0
    assert board.active_view.empty_text().startswith("Nothing is paused")
    assert board.history_view.empty_text().startswith("No pauses yet")
