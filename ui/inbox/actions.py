"""The inbox's commands as QActions with their keys (in the cheat sheet with the rest): done,
call back, snooze, reassign. Each asks what it needs in a dialog first; closing the dialog
changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from app.desk.tasks import CALL_RESULTS, OUTCOMES, TaskRow
from ui.dialogs.awaiting import run_dialog
from ui.dialogs.task import OutcomeDialog, ReassignDialog, SnoozeDialog
from ui.inbox.controller import TaskInbox

AddAction = Callable[[str, list[str], Callable[[], object], str], QAction]


def about(task: TaskRow) -> str:
    return f"{task.title}" + (f" — {task.lead_label}" if task.lead_label else "")


class TaskActions(QObject):
    def __init__(
        self, window: QWidget, inbox: TaskInbox, add: AddAction, supervises: bool, selected: Callable[[], list[int]]
    ) -> None:
        """``selected``: the ids of the tasks selected in the list (a reassignment takes them all)."""
        super().__init__(window)
        self.window = window
        self.inbox = inbox
        self.selected = selected
        self.supervises = supervises
        self.done = add("&Done…  D", ["D"], self._complete, "Close the task with how it went")
        self.call_back = add(
            "&Call back…  C", ["C"], self._call_back, "Log one call back and how it went; the task stays open"
        )
        self.snooze = add(
            "Snoo&ze…  Z", ["Z"], self._snooze, "Put the task off for a while, never past what the client allows"
        )
        self.reassign = add(
            "Reassi&gn…  Ctrl+R", ["Ctrl+R"], self._reassign, "Give the selected tasks to someone else (supervisors)"
        )
        self.task_actions = [self.done, self.call_back, self.snooze, self.reassign]
        inbox.current_changed.connect(self._current_changed)
        self.update_enabled()

    def _current_changed(self, _task: object) -> None:
        self.update_enabled()

    def update_enabled(self) -> None:
        """On for the task in view; reassigning is for supervisors (the tooltip says so)."""
        on = self.inbox.shown and self.inbox.current is not None
        for action in (self.done, self.call_back, self.snooze):
            action.setEnabled(on)
        self.reassign.setEnabled(on and self.supervises)
        if not self.supervises:
            self.reassign.setToolTip("Only a supervisor can give a task to someone else")

    def _start(self, ask: Callable[[TaskRow], object], what: str) -> None:
        task = self.inbox.current
        if task is not None and self.done.isEnabled():
            self.inbox.runner.spawn(ask(task), what)  # type: ignore[arg-type]

    def _complete(self) -> None:
        self._start(self._ask_outcome, "asking how the task went")

    def _call_back(self) -> None:
        self._start(self._ask_call, "asking how the call went")

    def _snooze(self) -> None:
        self._start(self._ask_snooze, "asking how long to snooze")

    def _reassign(self) -> None:
        if self.reassign.isEnabled():
            self._start(self._ask_whom, "asking whom to give the task to")

    async def _ask_outcome(self, task: TaskRow) -> None:
        dialog = OutcomeDialog("Task done", "Done", OUTCOMES, about(task), self.window)
        if await self._accepted(dialog, task):
            await self._await(self.inbox.complete(dialog.choice(), dialog.text()))
        dialog.deleteLater()

    async def _ask_call(self, task: TaskRow) -> None:
        dialog = OutcomeDialog("Log a call back", "Log call", CALL_RESULTS, about(task), self.window)
        if await self._accepted(dialog, task):
            await self._await(self.inbox.call_back(dialog.choice(), dialog.text()))
        dialog.deleteLater()

    async def _ask_snooze(self, task: TaskRow) -> None:
        limit, why = await self.inbox.snooze_bound(task.id)
        dialog = SnoozeDialog(limit, why, about(task), self.window)
        if await self._accepted(dialog, task):
            await self._await(self.inbox.snooze(dialog.span(), dialog.text()))
        dialog.deleteLater()

    async def _ask_whom(self, task: TaskRow) -> None:
        chosen = self.selected() or [task.id]
        users = await self.inbox.assignable_users()
        what = about(task) if len(chosen) == 1 else f"{len(chosen)} selected tasks"
        dialog = ReassignDialog(users, task.assignee_login, what, self.window)
        if await self._accepted(dialog, task):
            await self._await(self.inbox.reassign(dialog.login(), chosen))
        dialog.deleteLater()

    async def _accepted(self, dialog: QDialog, task: TaskRow) -> bool:
        """Accepted, and the task it was asked about is still the one in view."""
        accepted = await run_dialog(dialog) == QDialog.DialogCode.Accepted
        current = self.inbox.current
        return accepted and current is not None and current.id == task.id

    @staticmethod
    async def _await(task: object) -> None:
        if task is not None:
            await task  # type: ignore[misc]
