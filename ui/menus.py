"""The menu bar and the queue's context menu, built from the window's own actions.

Every command already exists once as a ``QAction`` with its shortcuts (``ui.review.actions``):
the menus list those same actions, so a menu entry, a toolbar button and a key can never
disagree. Menus print the shortcut in their own column; buttons print it after the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.dialogs.about import AboutDialog
from ui.dialogs.awaiting import run_dialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def label_shortcuts(actions: list[QAction]) -> None:
    """Menus show an action's shortcut beside its text; tool buttons show ``iconText``. So the
    text loses the "  A" some actions carry, and the button shows that key (or the first)."""
    for action in actions:
        base, _, named = action.text().partition("  ")
        action.setText(base)
        keys = action.shortcuts()
        key = named or (keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else "")
        plain = base.replace("&", "")
        action.setIconText(f"{plain}  {key}" if key else plain)


class DeskMenus:
    """The menu bar (File, Edit, View, Item, Tasks, Supervisor, Help) and the queue rows' context
    menu, each listing the window's actions, plus the two commands only menus offer."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        a = window.actions_
        self.about = QAction("&About Review Desk", window)
        self.about.setStatusTip("Version, database and log folder")
        self.about.triggered.connect(self.show_about)
        self.copy_lead = a.add_global(
            "&Copy lead name", ["Ctrl+Shift+C"], self.copy_lead_name, "Copy the lead name of the open item"
        )
        bar = window.menuBar()
        bar.setAccessibleName("Menu bar")
        for title, entries in self._layout():
            menu = bar.addMenu(title)
            menu.setAccessibleName(title.replace("&", ""))
            _fill(menu, entries)
        label_shortcuts(a.all)
        self.row_menu = QMenu(window.queue)
        self.row_menu.setAccessibleName("Queue item")
        _fill(self.row_menu, self.row_actions())
        window.queue.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        window.queue.customContextMenuRequested.connect(self._show_row_menu)

    def _layout(self) -> list[tuple[str, list[QAction | QMenu | None]]]:
        w, a = self.window, self.window.actions_
        return [
            ("&File", [w.settings_action, None, w.quit_action]),
            ("&Edit", [a.edit, a.leave, None, w.search_action, self.copy_lead]),
            (
                "&View",
                [
                    w.refresh_action,
                    w.notices_action,
                    w.reports_action,
                    None,
                    self._submenu("Saved &views", w.view_actions),
                    self._submenu("Queue &columns", w.queue.column_actions),
                    None,
                    a.next,
                    a.previous,
                    a.first,
                    a.last,
                ],
            ),
            (
                "&Item",
                [
                    a.approve,
                    a.approve_edits,
                    a.reject,
                    a.escalate,
                    a.skip,
                    None,
                    a.undo,
                    a.bulk,
                    a.assign,
                    None,
                    a.regenerate,
                ],
            ),
            ("&Tasks", [*w.task_view_actions, None, *w.task_actions.task_actions, None, w.lead_action]),
            (
                "&Supervisor",
                [
                    w.pauses_action,
                    w.pause_workflow_action,
                    w.pause_client_action,
                    None,
                    w.snippets_action,
                    a.retry_push,
                ],
            ),
            ("&Help", [w.help_action, None, self.about]),
        ]

    def _submenu(self, title: str, actions: list[QAction]) -> QMenu:
        menu = QMenu(title, self.window)
        menu.setAccessibleName(title.replace("&", ""))
        menu.addActions(actions)
        return menu

    def row_actions(self) -> list[QAction | QMenu | None]:
        """What the context menu of a queue row offers (None: a separator)."""
        a = self.window.actions_
        return [a.approve, a.reject, a.escalate, a.skip, None, a.bulk, None, self.copy_lead]

    def _show_row_menu(self, position: QPoint) -> None:
        if self.aim_row_menu(position):
            self.row_menu.popup(self.window.queue.viewport().mapToGlobal(position))

    def aim_row_menu(self, position: QPoint) -> bool:
        """Whether a row is at ``position`` (in the queue's viewport); a row not among the
        selected is opened first, so the menu's actions apply to the row clicked."""
        queue = self.window.queue
        index = queue.indexAt(position)
        if not index.isValid():
            return False
        if index.row() not in queue.selected_rows():
            self.window.select_row(index.row())
        return True

    def copy_lead_name(self) -> None:
        window = self.window
        entry = window.controller.model.row_at(window.queue.currentIndex().row())
        if entry is not None:
            QGuiApplication.clipboard().setText(entry.lead_label)

    def show_about(self) -> None:
        dialog = AboutDialog(self.window.database_label, self.window)
        self.window.session.runner.spawn(_show(dialog), "showing About")


def _fill(menu: QMenu, entries: list[QAction | QMenu | None]) -> None:
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        elif isinstance(entry, QMenu):
            menu.addMenu(entry)
        else:
            menu.addAction(entry)


async def _show(dialog: AboutDialog) -> None:
    await run_dialog(dialog)
    dialog.deleteLater()
